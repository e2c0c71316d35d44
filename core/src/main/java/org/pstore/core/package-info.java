/**
 * The variable store of pstore for the JVM, modelled on the EFI variable store: a variable is
 * (namespace, name) -> (attributes, bytes), reached through an {@link org.pstore.core.VariableOps ops table}.
 *
 * <p>Everything in this package may be used on the panic path: statuses are preallocated enum constants,
 * buffers are caller-owned and reused, and no method here allocates once its buffers are sized.
 */
package org.pstore.core;
