package vn.thutuc.esnode;

import java.util.List;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * The one token filter our analysers name that Elasticsearch keeps in its analysis-common
 * module, which is not published to Maven Central for 8.x/9.x: `asciifolding`, pre-configured
 * (used by name, no options), straight from Lucene. The server itself has the standard
 * tokenizer, `lowercase` and `shingle`.
 */
public class FoldingAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new));
    }
}
