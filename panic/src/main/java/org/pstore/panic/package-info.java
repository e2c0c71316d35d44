/**
 * Generic panic machinery, modelled on the Linux kernel's panic path: one winner, a priority-ordered
 * notifier chain, dump reasons and the kmsg dumper registry. It knows nothing of storage.
 *
 * <p>The panic path (everything {@link org.pstore.panic.PanicMachine#panic} runs after the winner is
 * chosen) takes no lock, creates no thread, waits for no other thread and, once the machine is
 * {@linkplain org.pstore.panic.PanicMachine#arm() armed}, allocates nothing except inside the JDK calls
 * that cannot avoid it (stack traces, the thread dump), each of which has a fixed fallback line.
 */
package org.pstore.panic;
