package org.pstore.panic;

/**
 * A step of the panic notifier chain (Linux {@code panic_notifier_list}). Registered at boot, called
 * once at panic time in priority order. A notifier that throws is reported and skipped; one that runs
 * longer than {@link PanicSettings#notifierTimeout()} is left behind by the panic timer.
 */
@FunctionalInterface
public interface PanicNotifier {
    void onPanic(PanicEvent event) throws Exception;
}
