package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * What the test applications do, through whatever they log with (no pstore code, no pstore on their class
 * path): {@code die} logs lines 1..200 and runs out of heap, uncaught; {@code throw} logs them and throws
 * an exception out of main; {@code exit} logs them and ends;
 * {@code wait} logs a numbered line every 10 ms until a file named {@code crash-now} appears in its working
 * directory, then logs {@value #LAST} and runs out of heap.
 */
public final class Apps {
    public static final int LINES = 200;
    public static final String LAST = "the last line before the crash";

    private Apps() {
    }

    public static void run(String mode, IntConsumer log, java.util.function.Consumer<String> last) throws InterruptedException {
        if (mode.equals("wait")) {
            for (int i = 1; !Files.exists(Path.of("crash-now")); i++) {
                log.accept(i);
                Thread.sleep(10);
            }
            last.accept(LAST);
            exhaustHeap();
        }
        for (int i = 1; i <= LINES; i++) {
            log.accept(i);
        }
        if (mode.equals("die")) {
            exhaustHeap();
        }
        if (mode.equals("throw")) {
            throw new IllegalStateException("the application gives up");
        }
    }

    /** Allocates until the heap is gone, {@code -Dexample.chunk} longs at a time (64 Ki); the error is never caught. */
    public static void exhaustHeap() {
        int chunk = Integer.getInteger("example.chunk", 1 << 16);
        List<long[]> hoard = new ArrayList<>();
        while (true) {
            hoard.add(new long[chunk]);
        }
    }
}
