package org.pstore.crash;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.PstoreException;
import org.pstore.core.FaultInjection;
import org.pstore.core.Namespace;
import org.pstore.panic.DumpReason;

/**
 * A real application for the lifecycle tests (not crashes): boot, logging, pmsg, oops, SIGTERM, SIGKILL,
 * a hung worker. Args: scenario, store dir.
 */
public final class LifeApp {
    static final Logger LOG = Logger.getLogger("life.app");
    static volatile boolean stall;

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        Path dir = Path.of(args[1]);
        try {
            Pstore.pmsg("too early");
        } catch (PstoreException e) {
            System.out.println("before boot: " + e.getMessage());
        }
        if (scenario.equals("bad-config")) {
            try {
                Pstore.boot();
            } catch (PstoreException e) {
                System.out.println("boot refused: " + e.getMessage());
                System.exit(3);
            }
        }
        PstoreConfig.Builder config = PstoreConfig.builder().dir(dir).kmsgBytes(32 << 10).recordSize(8 << 10)
                .capacity(2 << 20).reserve(512 << 10).faultInjection(LifeApp::inject);
        if (scenario.equals("sigterm")) {
            config.maxReason(DumpReason.SHUTDOWN);
        }
        if (scenario.equals("worker-hang")) {
            config.workerTimeout(Duration.ofMillis(500)).opTimeout(Duration.ofSeconds(1))
                    .panic(p -> p.watchdogInterval(Duration.ofMillis(100)));
        }
        Pstore first = Pstore.boot(config.build());
        Pstore second = Pstore.boot(PstoreConfig.builder().dir(dir.resolveSibling("elsewhere")).build());
        System.out.println("same instance: " + (first == second));
        long id = Pstore.pmsg("hello from " + scenario);
        System.out.println("pmsg " + id);
        switch (scenario) {
            case "lifecycle":
                LOG.info("logged through java.util.logging");
                Pstore.log("logged through the API");
                break;
            case "oops": {
                LOG.info("before the oops");
                Thread t = new Thread(() -> {
                    throw new IllegalArgumentException("an ordinary thread fails");
                }, "ordinary-worker");
                t.start();
                t.join();
                Thread.sleep(200);
                LOG.info("still alive after the oops");
                break;
            }
            case "sigterm":
                System.out.println("waiting for SIGTERM");
                System.out.flush();
                for (int i = 0; ; i++) {
                    LOG.info("tick " + i);
                    Thread.sleep(5);
                }
            case "kill":
                for (int i = 0; ; i++) {
                    LOG.info("tick " + i);
                    System.out.println("logged " + i);
                    System.out.flush();
                    Thread.sleep(1);
                }
            case "worker-hang": {
                stall = true;
                Thread writer = new Thread(() -> {
                    try {
                        Pstore.pmsg("this one hangs in the worker");
                    } catch (PstoreException e) {
                        System.out.println("hung pmsg: " + e.getMessage());
                    }
                }, "app-writer");
                writer.setDaemon(true);
                writer.start();
                Pstore p = Pstore.current().orElseThrow();
                for (int i = 0; i < 600 && !p.mode().startsWith("legacy"); i++) {
                    Thread.sleep(100); // the watchdog notices within its interval; how soon is not what is tested
                }
                System.out.println("mode now: " + p.mode());
                LOG.info("still alive after the worker hang");
                break;
            }
            default:
                throw new IllegalArgumentException(scenario);
        }
        System.out.println("done");
        System.out.flush();
        LOG.info("the last line before exit");
    }

    private static void inject(FaultInjection.Phase phase, Namespace ns, CharSequence name) throws IOException {
        if (stall && phase == FaultInjection.Phase.INSIDE_APPEND) {
            stall = false;
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                throw new IOException("interrupted");
            }
        }
    }
}
