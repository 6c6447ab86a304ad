package org.elasticsearch.node;

import java.util.Collection;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.MockPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * A Node whose plugins are classes on the classpath (the Maven-resolved module jars), not
 * folders under modules/ and plugins/ of a distribution. It lives in Elasticsearch's package
 * because the constructor that takes a service provider is package-private; the test
 * framework's MockNode does the same, but pulls in ESTestCase.
 */
public class ClasspathPluginsNode extends Node {

    public ClasspathPluginsNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(NodeConstruction.prepareConstruction(environment, null, new NodeServiceProvider() {
            @Override
            org.elasticsearch.plugins.PluginsService newPluginService(Environment env, PluginsLoader loader) {
                return new MockPluginsService(env.settings(), env, plugins);
            }
        }, true));
    }
}
