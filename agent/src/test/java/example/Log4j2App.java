package example;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Logs through Log4j2 (apps/log4j2/log4j2.xml). Args: mode (see {@link Apps}), and "reconfigure" to reload the configuration first. */
public final class Log4j2App {
    public static void main(String[] args) throws Exception {
        Logger log = LogManager.getLogger("example.log4j2");
        if (args.length > 1 && args[1].equals("reconfigure")) {
            log.info("before reconfiguration");
            ((org.apache.logging.log4j.core.LoggerContext) LogManager.getContext(false)).reconfigure();
        }
        Apps.run(args[0], i -> log.info("line {}", i), log::info);
    }
}
