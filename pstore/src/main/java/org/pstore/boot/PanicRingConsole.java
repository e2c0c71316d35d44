package org.pstore.boot;

import org.pstore.capture.CaptureRing;
import org.pstore.panic.PanicConsole;
import org.pstore.panic.PanicMachine;

/**
 * The panic console: the capture ring, frozen for every other thread from the panicking thread's first
 * report line on. Other threads that go on logging at full speed (a flood is common just before a crash)
 * would otherwise push the report, and with it the cause, out of the log tail the crash record keeps
 * before the dumper freezes the ring. Allocation-free; the dumper thaws the ring when its dump is written.
 */
final class PanicRingConsole implements PanicConsole {
    private final PanicMachine machine;
    private final CaptureRing ring;

    PanicRingConsole(PanicMachine machine, CaptureRing ring) {
        this.machine = machine;
        this.ring = ring;
    }

    @Override
    public void println(CharSequence line) {
        if (machine.owner() == Thread.currentThread()) {
            ring.freeze(); // an oops (no owner) leaves the ring as it is
        }
        ring.println(line);
    }
}
