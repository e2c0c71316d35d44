package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * An application that sets a default uncaught exception handler of its own, chaining none (as some do), and
 * fails. Args: when it sets the handler, {@code start} (before its first line, while the store still opens)
 * or {@code armed} (once a file named {@code crash-now} appears in its working directory); then how it fails,
 * {@code main} (an exception out of main) or {@code worker} (half a second later, a thread of its own runs out
 * of heap). Only {@code start main} fails at once; the others log a line every 10 ms until {@code crash-now}.
 */
public final class HandlerApp {
    private static final Logger LOG = Logger.getLogger("example.handler");

    public static void main(String[] args) throws Exception {
        if (args[0].equals("start")) {
            own();
        }
        boolean waits = !(args[0].equals("start") && args[1].equals("main"));
        for (int i = 1; i <= 20 || (waits && !Files.exists(Path.of("crash-now"))); i++) {
            LOG.info("line " + i);
            if (i > 20) {
                Thread.sleep(10);
            }
        }
        if (args[0].equals("armed")) {
            own();
        }
        LOG.info(Apps.LAST);
        if (args[1].equals("main")) {
            throw new IllegalStateException("the application gives up");
        }
        Thread.sleep(500);
        Thread worker = new Thread(Apps::exhaustHeap, "worker");
        worker.start();
        worker.join();
    }

    private static void own() {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> System.err.println("the application's handler: " + e));
    }
}
