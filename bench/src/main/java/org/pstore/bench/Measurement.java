package org.pstore.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/** One JMH run's numbers, units normalised: time in nanoseconds per operation, throughput in operations per second. */
record Measurement(String benchmark, Map<String, String> params, Mode mode, double score, double error, String unit,
                   double p50, double p90, double p99, long samples, double allocBytesPerOp) {

    static Measurement of(RunResult run) {
        BenchmarkParams bp = run.getParams();
        String full = bp.getBenchmark();
        int method = full.lastIndexOf('.');
        String name = full.substring(full.lastIndexOf('.', method - 1) + 1);
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : bp.getParamsKeys()) {
            params.put(key, bp.getParam(key));
        }
        Result<?> primary = run.getPrimaryResult();
        Statistics st = primary.getStatistics();
        Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
        return new Measurement(name, params, bp.getMode(), primary.getScore(), primary.getScoreError(), primary.getScoreUnit(),
                st.getPercentile(50), st.getPercentile(90), st.getPercentile(99), st.getN(),
                alloc == null ? 0.0 : alloc.getScore()); // JMH leaves the result out when nothing was allocated
    }

    boolean is(String bench, Mode m, String... keyValues) {
        if (!benchmark.equals(bench) || mode != m) {
            return false;
        }
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (!keyValues[i + 1].equals(params.get(keyValues[i]))) {
                return false;
            }
        }
        return true;
    }

    /** A time unit's nanoseconds: "us/op" -> 1000. */
    private static double nanos(String timeUnit) {
        switch (timeUnit) {
            case "ns":
                return 1;
            case "us":
                return 1e3;
            case "ms":
                return 1e6;
            case "s":
                return 1e9;
            case "min":
                return 60e9;
            default:
                throw new IllegalArgumentException("unknown time unit " + timeUnit);
        }
    }

    /** Score in ns/op (time modes). */
    double nsPerOp() {
        return toNs(score);
    }

    double errorNs() {
        return toNs(error);
    }

    /** A value in this result's time unit (score or percentile) in ns. */
    double toNs(double value) {
        if (!unit.endsWith("/op")) {
            throw new IllegalStateException(benchmark + " is not a time result: " + unit);
        }
        return value * nanos(unit.substring(0, unit.indexOf('/')));
    }

    /** Score in ops/s (throughput mode). */
    double opsPerSecond() {
        if (!unit.startsWith("ops/")) {
            throw new IllegalStateException(benchmark + " is not a throughput result: " + unit);
        }
        return score * 1e9 / nanos(unit.substring(4));
    }

    double opsErrorPerSecond() {
        return error * 1e9 / nanos(unit.substring(4));
    }
}
