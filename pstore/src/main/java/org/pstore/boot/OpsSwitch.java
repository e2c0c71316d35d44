package org.pstore.boot;

import org.pstore.capture.CaptureRing;
import org.pstore.core.VariableOps;
import org.pstore.core.ops.RuntimeServices;
import org.pstore.panic.LineBuffer;
import org.pstore.panic.PanicEvent;
import org.pstore.panic.PanicNotifier;

/**
 * The first notifier of the chain: the switch to the legacy ops, one reference store, then one line in the
 * ring saying which table served normal operation and when the switch happened, which the crash record
 * carries: {@code [pstore] ops: interruptible -> legacy at panic}. Allocation-free (its line is made at boot).
 */
final class OpsSwitch implements PanicNotifier {
    static final String NAME = "pstore-ops-switch";
    /** When the switch happens, as the store's marker and {@code stat} say it. */
    static final String WHEN = "legacy at panic";

    private final RuntimeServices services;
    private final CaptureRing ring;
    private final LineBuffer line = new LineBuffer(512);
    // fields, not literals: a literal's String is made the first time its code runs, here at an exhausted heap
    private static final String OPS = text("[pstore] ops: ");
    private static final String LEGACY = text("legacy (");
    private static final String NOTHING_TO_SWITCH = text("): nothing to switch at panic");
    private static final String SWITCHED = text(" -> legacy at panic");

    OpsSwitch(RuntimeServices services, CaptureRing ring) {
        this.services = services;
        this.ring = ring;
    }

    @Override
    public void onPanic(PanicEvent event) {
        VariableOps before = services.switchToLegacy(RuntimeServices.SWITCHED_AT_PANIC);
        line.clear().append(OPS);
        if (before == services.legacyOps()) {
            line.append(LEGACY).append(services.registry().reason()).append(NOTHING_TO_SWITCH);
        } else {
            line.append(before.name()).append(SWITCHED);
        }
        ring.println(line);
    }

    private static String text(String s) {
        return s;
    }
}
