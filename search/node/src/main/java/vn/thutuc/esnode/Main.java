package vn.thutuc.esnode;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.elasticsearch.Build;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.core.IOUtils;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.ClasspathPluginsNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * One Elasticsearch node on 127.0.0.1 for development and tests: HTTP on $ES_PORT (9200), data
 * and logs in a new temporary folder that is deleted when the JVM stops (Ctrl-C, SIGTERM, or a
 * failed start).
 */
public final class Main {

    private static volatile Node node;

    public static void main(String[] args) throws Exception {
        // as the distribution's jvm.options: log4j must outlive the shutdown hook that closes the node
        System.setProperty("log4j.shutdownHookEnabled", "false");
        System.setProperty("log4j2.disable.jmx", "true");
        String port = System.getenv().getOrDefault("ES_PORT", "9200");
        Path home = Files.createTempDirectory("thutuc-es-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(home), "esnode-shutdown"));

        Settings settings = Settings.builder()
            .put("cluster.name", "thutuc-dev")
            .put("node.name", "esnode")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", System.getenv().getOrDefault("ES_TRANSPORT_PORT", "9300-9399"))
            .put("discovery.type", "single-node")
            // a developer's disk may be nearly full: don't turn indices read-only for that
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();
        // Maven Central has no native libraries (zstd, vec) for the server: an empty folder, so
        // that the server says so and runs without them.
        System.setProperty("es.nativelibs.path", Files.createDirectories(home.resolve("native")).toString());
        Path config = Files.createDirectories(home.resolve("config"));
        try (InputStream log4j = Main.class.getResourceAsStream("/log4j2.properties")) {
            Files.copy(log4j, config.resolve("log4j2.properties"));
        }
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> "esnode");
        LogConfigurator.configure(environment, true);

        node = new ClasspathPluginsNode(environment, List.of(Netty4Plugin.class, FoldingAnalysisPlugin.class));
        node.start();
        System.out.println("Elasticsearch " + Build.current().version() + " on http://127.0.0.1:" + port
            + " (data in " + home + ", deleted on exit)");
        Thread.currentThread().join(); // until a signal runs the shutdown hook
    }

    private static void stop(Path home) {
        try {
            if (node != null) {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            try {
                IOUtils.rm(home);
            } catch (Exception e) {
                System.err.println("could not delete " + home + ": " + e);
            }
        }
    }
}
