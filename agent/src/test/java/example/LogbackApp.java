package example;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs through SLF4J 2 and Logback (apps/logback/logback.xml). Args: mode (see {@link Apps}). */
public final class LogbackApp {
    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger("example.logback");
        Apps.run(args[0], i -> log.info("line {}", i), log::info);
    }
}
