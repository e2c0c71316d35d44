package org.pstore.capture;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The lines a ring holds, without their uptime prefix, for the capture tests (which attach it to the CaptureSink). */
public final class RingLines {
    private final CaptureRing ring = new CaptureRing(64 << 10, System.nanoTime());
    private final CaptureRing.Cursor cursor = new CaptureRing.Cursor(0);

    public static RingLines attached() {
        RingLines r = new RingLines();
        CaptureSink.attach(r.ring, null);
        return r;
    }

    public CaptureRing ring() {
        return ring;
    }

    /** Lines written since the last call. */
    public List<String> take() {
        List<String> lines = new ArrayList<>();
        byte[] out = new byte[CaptureRing.MAX_LINE];
        for (int n; (n = ring.next(cursor, out)) >= 0; ) {
            String line = new String(out, 0, n, StandardCharsets.UTF_8);
            lines.add(line.substring(line.indexOf("] ") + 2));
        }
        return lines;
    }
}
