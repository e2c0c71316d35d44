package org.pstore.cli;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.panic.Panic;

/**
 * An application that ends in one of the ways {@code pstore last} tells apart. Args: how, store dir.
 * It logs a numbered tick every 10 ms from the start and says "ready" once it has run for 1.5 s (a heartbeat is written).
 */
public final class EndingApp {
    private static final List<byte[]> HELD = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String how = args[0];
        Pstore.boot(PstoreConfig.builder().dir(Path.of(args[1])).build());
        Thread ticker = new Thread(() -> {
            for (int i = 0; ; i++) {
                Pstore.log("INFO app: tick " + i);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ticker");
        ticker.setDaemon(true);
        ticker.start();
        Thread.sleep(1500);
        System.out.println("ready");
        System.out.flush();
        switch (how) {
            case "log" -> Thread.sleep(Long.MAX_VALUE); // until killed
            case "segv" -> unsafe().putAddress(0L, 42L);
            case "oom-exit", "oom-killer" -> {
                while (true) {
                    byte[] b = new byte[8 << 20];
                    java.util.Arrays.fill(b, (byte) 1); // touched: the pages count against the cgroup
                    HELD.add(b);
                }
            }
            case "exit3" -> System.exit(3);
            case "panic" -> Panic.panic("the order book is inconsistent", null);
            case "return" -> {
                ticker.interrupt();
                ticker.join();
                Pstore.log("INFO app: done");
            }
            default -> throw new IllegalArgumentException(how);
        }
    }

    private static sun.misc.Unsafe unsafe() throws ReflectiveOperationException {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return (sun.misc.Unsafe) f.get(null);
    }
}
