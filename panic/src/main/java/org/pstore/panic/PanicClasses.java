package org.pstore.panic;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.StringConcatFactory;
import java.lang.invoke.VarHandle;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Every class this module names, resolved when a machine is armed.
 *
 * <p>Why: the first time a class of the application's class loader names a JDK class (an
 * {@code instanceof}, a catch clause, a static call), the JVM asks that loader, in Java code, which
 * allocates. With the heap exhausted that alone throws OutOfMemoryError at panic time: seen in the
 * forked OOM test, from {@code instanceof VirtualMachineError} in the uncaught exception handler, before
 * the report printed a line. Once the loader has answered, the JVM remembers the class for that loader and
 * never asks again. Our own classes are listed too, so that none is first loaded at panic time.
 * {@code PanicClassesTest} reads the module's class files and fails when this list misses one.
 */
final class PanicClasses {
    private static final Class<?>[] RESOLVED = {
        // java.lang and java.io
        Boolean.class, CharSequence.class, Character.class, Class.class, Class[].class, Enum.class, Enum[].class,
        Exception.class, IllegalArgumentException.class, IllegalStateException.class, IndexOutOfBoundsException.class,
        Integer.class, Long.class, Math.class, Object.class, Object[].class, OutOfMemoryError.class, ProcessHandle.class,
        Runnable.class, Runtime.class, RuntimeException.class, StackOverflowError.class,
        StackTraceElement.class, StackTraceElement[].class, String.class, String[].class,
        StringBuilder.class, System.class, Thread.class, Thread[].class, Thread.State.class,
        Thread.UncaughtExceptionHandler.class, Throwable.class, Throwable[].class, VirtualMachineError.class,
        InternalError.class, AutoCloseable.class, OutputStream.class, PrintStream.class, byte[].class, long[].class,
        WeakReference.class, WeakReference[].class,
        // java.lang.reflect: the warm-up's starved thread MXBean
        Method.class, Proxy.class,
        // java.lang.invoke: lambdas and string concatenation (none on the panic path itself)
        LambdaMetafactory.class, MethodHandles.class, MethodHandles.Lookup.class, StringConcatFactory.class, VarHandle.class,
        // java.lang.management: the report's JVM facts, deadlocks and thread dump
        GarbageCollectorMXBean.class, GarbageCollectorMXBean[].class, LockInfo.class, LockInfo[].class,
        ManagementFactory.class, MonitorInfo.class, MonitorInfo[].class, RuntimeMXBean.class,
        ThreadInfo.class, ThreadInfo[].class, ThreadMXBean.class,
        // java.util and java.time
        Duration.class, ArrayList.class, Arrays.class, Iterator.class, List.class, Locale.class, Map.class, Objects.class,
        Set.class, Stream.class,
        WeakHashMap.class, CopyOnWriteArrayList.class, AtomicInteger.class, AtomicLong.class,
        AtomicReference.class, AtomicReferenceArray.class, LockSupport.class, ReentrantLock.class,
        BooleanSupplier.class, LongSupplier.class,
        // the report's system facts (SystemSection, CgroupLimits: read at arm, the pools and properties in the rest)
        java.lang.management.MemoryPoolMXBean.class, java.lang.management.MemoryPoolMXBean[].class,
        java.lang.management.MemoryUsage.class, java.util.Properties.class, javax.management.MBeanServer.class,
        javax.management.ObjectName.class, java.io.IOException.class, java.io.InputStream.class, Double.class, Error.class,
        NumberFormatException.class, java.nio.charset.StandardCharsets.class, java.nio.file.Files.class,
        java.nio.file.LinkOption.class, java.nio.file.OpenOption.class, java.nio.file.Path.class, java.nio.file.Path[].class,
        java.nio.file.StandardOpenOption.class, CgroupLimits.class, SystemSection.class,
        // this package
        CauseSection.class, ChainWalk.class, DeadlockSection.class, Describe.class, DumpReason.class,
        DumpReason[].class, DumpStep.class, Dumper.class, DumperRegistry.class, DumperRegistry.Entry.class,
        DumperRegistry.Entry[].class, ExhaustionHook.class, Formats.class, HeapPressure.class, HeapReserve.class,
        JvmFacts.class, LineBuffer.class, Lost.class, NotifierChain.class,
        NotifierChain.Entry.class, NotifierChain.Entry[].class, OopsReporter.class, Panic.class, PanicAction.class,
        PanicAction[].class, PanicClasses.class, PanicConsole.class, PanicEvent.class, PanicMachine.class,
        PanicNotifier.class, PanicReport.class, PanicSettings.class, PanicSettings.Builder.class, PanicTimer.class,
        Priority.class, Redaction.class, ReportPrinter.class, ReportStep.class, ShutdownProbe.class,
        ThreadDumpSection.class, ThrowableReader.class, WarmUp.Starved.class,
        ThrowableReader.Jdk.class, Transcript.class, Utf8.class, Voice.class, Waiters.class, WarmUp.class,
        Words.class,
    };

    private PanicClasses() {
    }

    /**
     * Resolves the list (in this class's initializer) and caches each class's name, which
     * {@code Class.getName()} builds on its first call: the report names exception classes, among them
     * OutOfMemoryError and StackOverflowError.
     */
    static int resolve() {
        int chars = 0;
        for (Class<?> c : RESOLVED) {
            chars += c.getName().length();
        }
        return chars;
    }

    static Class<?>[] resolved() {
        return RESOLVED.clone();
    }
}
