package org.pstore.bench;

import org.openjdk.jmh.infra.BenchmarkParams;

/** Names shared by the benchmarks and the runner. */
final class Bench {
    /** Repository root (for bin/pstore), passed by the runner to every fork. */
    static final String ROOT_PROPERTY = "pstore.bench.root";

    private Bench() {
    }

    /** {@code org.pstore.bench.PanicDumpBench.panic} -> {@code panic}. */
    static String method(BenchmarkParams params) {
        String b = params.getBenchmark();
        return b.substring(b.lastIndexOf('.') + 1);
    }

    /** {@code [threads:50]} style suffix (no '=': it goes into a notes key) of the benchmark's parameters; empty when it has none. */
    static String paramSuffix(BenchmarkParams params) {
        StringBuilder s = new StringBuilder();
        for (String key : params.getParamsKeys()) {
            s.append('[').append(key).append(':').append(params.getParam(key)).append(']');
        }
        return s.toString();
    }
}
