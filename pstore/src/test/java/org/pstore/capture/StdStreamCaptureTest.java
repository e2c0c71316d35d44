package org.pstore.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StdStreamCaptureTest {
    @AfterEach
    void detach() {
        CaptureSink.detach();
    }

    private static void print(PrintStream out) {
        out.println("line one");
        out.print("half ");
        out.print(42);
        out.println();
        out.printf(Locale.ROOT, "%s=%.2f%n", "pi", Math.PI);
        out.append("a").append('b').append("xcdx", 1, 3).println();
        out.println(new char[] {'c', 'h', 'ä', 'r'});
        out.println((Object) null);
        out.write('W');
        out.write("raw bytes\n".getBytes(StandardCharsets.UTF_8), 0, 10);
        out.print("two\nlines\n");
        out.flush();
    }

    private static byte[] printed(Consumer<PrintStream> with) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        with.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    @Test
    void whatIsPrintedIsUnchangedByteForByteAndEachPrintedLineIsCaptured() {
        RingLines ring = RingLines.attached();
        byte[] plain = printed(StdStreamCaptureTest::print);
        byte[] teed = printed(p -> print(StdStreamCapture.tee(p, "stdout")));
        assertThat(teed).isEqualTo(plain);
        assertThat(ring.take()).map(l -> l.substring(l.indexOf(' ') + 1)).containsExactly(
                "[main] stdout: line one", "[main] stdout: half 42", "[main] stdout: pi=3.14", "[main] stdout: abcd",
                "[main] stdout: chär", "[main] stdout: null", "[main] stdout: two", "[main] stdout: lines");
    }

    @Test
    void withNothingAttachedItOnlyPrints() {
        byte[] teed = printed(p -> print(StdStreamCapture.tee(p, "stderr")));
        assertThat(teed).isEqualTo(printed(StdStreamCaptureTest::print));
    }
}
