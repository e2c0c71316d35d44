/**
 * What raises a panic or an oops: uncaught exceptions (OutOfMemoryError, StackOverflowError, the main
 * thread, critical threads), the watchdog (Java-level deadlocks, missed heartbeats, hung operations) and
 * the shutdown hook that asks the dumpers for a shutdown dump.
 */
package org.pstore.panic.trigger;
