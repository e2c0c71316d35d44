package org.pstore.cli.otlp;

import java.util.ArrayList;
import java.util.List;

import org.pstore.record.PstoreRecord;

/**
 * The OTLP resource of a record: the run (boot) of the application that wrote it, as OpenTelemetry's
 * resource semantic conventions name it. Records of one run share it, and so share a ResourceLogs.
 *
 * @param pid      0 when unknown
 * @param bootId   the run's random id (service.instance.id); null when unknown
 */
public record Run(String service, String host, long pid, String runtimeName, String runtimeVersion, String bootId) {
    /** What OpenTelemetry's SDKs say when no service name is known. */
    public static final String UNKNOWN_SERVICE = "unknown_service:java";

    /** The run that wrote {@code r}, for the service {@code service}. The JVM is recorded as "NAME VERSION". */
    public static Run of(PstoreRecord r, String service) {
        String jvm = r.jvm() == null ? "" : r.jvm().strip();
        int sp = jvm.lastIndexOf(' ');
        String name = sp > 0 ? jvm.substring(0, sp) : jvm;
        String version = sp > 0 ? jvm.substring(sp + 1) : "";
        return new Run(service, r.host() == null ? "" : r.host(), r.pid(), name, version,
                r.bootId() == null ? null : r.bootId().toString());
    }

    /** The resource attributes; what is unknown is left out rather than given empty. */
    public List<Attribute> attributes() {
        List<Attribute> a = new ArrayList<>();
        a.add(Attribute.of("service.name", service));
        if (bootId != null) {
            a.add(Attribute.of("service.instance.id", bootId));
        }
        if (!host.isEmpty()) {
            a.add(Attribute.of("host.name", host));
        }
        if (pid > 0) {
            a.add(Attribute.of("process.pid", pid));
        }
        if (!runtimeName.isEmpty()) {
            a.add(Attribute.of("process.runtime.name", runtimeName));
        }
        if (!runtimeVersion.isEmpty()) {
            a.add(Attribute.of("process.runtime.version", runtimeVersion));
        }
        return a;
    }
}
