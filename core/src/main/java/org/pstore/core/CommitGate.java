package org.pstore.core;

/**
 * The point of no return of a normal store write, asked once, just before the write becomes visible (its
 * log entry is appended, or the snapshot that deletes it is written). A caller that stops waiting before
 * then must be able to say the write did not happen: the interruptible worker closes the gate for a request
 * whose caller gave up, and the write is dropped (ABORTED).
 */
@FunctionalInterface
public interface CommitGate {
    /** Whether the write may go ahead; asked once, from the thread doing the write. */
    boolean commit();
}
