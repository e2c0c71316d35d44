package org.pstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Packages by concept, with no cycles: the packages of this module, read from the compiled classes'
 * constant pools (every class a class names: its fields, methods, signatures, code), must form a graph with
 * no cycle. {@link Pstore}, the facade that boots everything, is a node of its own above the packages: the
 * rest of the root package (the configuration and the exception every layer throws) sits below them.
 */
class PackageCyclesTest {
    private static final Path CLASSES = Path.of("target", "classes");
    private static final Pattern NAMED = Pattern.compile("org/pstore/((?:[a-z0-9_]+/)*)([A-Za-z0-9_$]+)");
    private static final String FACADE = "org.pstore.Pstore";

    @Test
    void theModulesPackagesHaveNoCycle() throws IOException {
        Map<String, Set<String>> edges = new TreeMap<>();
        Map<String, String> example = new HashMap<>();
        List<Path> classes;
        try (Stream<Path> all = Files.walk(CLASSES)) {
            classes = all.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertThat(classes).as("compiled classes in " + CLASSES.toAbsolutePath()).hasSizeGreaterThan(20);
        Set<String> ours = new TreeSet<>();
        for (Path c : classes) {
            ours.add(node(CLASSES.relativize(c).toString().replace(".class", "")));
        }
        for (Path c : classes) {
            String self = CLASSES.relativize(c).toString().replace(".class", "");
            String from = node(self);
            for (String named : namedClasses(c)) {
                String to = node(named);
                if (!to.equals(from) && ours.contains(to)) {
                    edges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                    example.putIfAbsent(from + " -> " + to, self.replace('/', '.') + " uses " + named.replace('/', '.'));
                }
            }
        }
        List<List<String>> cycles = cycles(ours, edges);
        List<String> said = new ArrayList<>();
        for (List<String> cycle : cycles) {
            StringBuilder b = new StringBuilder(String.join(", ", cycle)).append(":");
            for (String a : cycle) {
                for (String z : edges.getOrDefault(a, Set.of())) {
                    if (cycle.contains(z)) {
                        b.append("\n    ").append(example.get(a + " -> " + z));
                    }
                }
            }
            said.add(b.toString());
        }
        assertThat(said).as("package cycles in module pstore").isEmpty();
    }

    /** The package a class belongs to, the facade being a node of its own (nested classes go with their class). */
    private static String node(String internalName) {
        String dotted = internalName.replace('/', '.');
        String top = dotted.contains("$") ? dotted.substring(0, dotted.indexOf('$')) : dotted;
        if (top.equals(FACADE)) {
            return FACADE;
        }
        int dot = dotted.lastIndexOf('.');
        return dot < 0 ? "" : dotted.substring(0, dot);
    }

    /** Every org.pstore class named in the class file's constant pool (its UTF-8 entries: names and descriptors). */
    private static Set<String> namedClasses(Path classFile) throws IOException {
        Set<String> named = new TreeSet<>();
        try (InputStream in = Files.newInputStream(classFile); DataInputStream d = new DataInputStream(in)) {
            if (d.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            d.readUnsignedShort();
            d.readUnsignedShort();
            int count = d.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = d.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        Matcher m = NAMED.matcher(d.readUTF());
                        while (m.find()) {
                            named.add("org/pstore/" + m.group(1) + m.group(2));
                        }
                    }
                    case 3, 4 -> d.readInt();
                    case 5, 6 -> {
                        d.readLong();
                        i++; // takes two entries
                    }
                    case 7, 8, 16, 19, 20 -> d.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> d.readInt();
                    case 15 -> {
                        d.readUnsignedByte();
                        d.readUnsignedShort();
                    }
                    default -> throw new IOException(classFile + ": constant pool tag " + tag);
                }
            }
        }
        return named;
    }

    /** The strongly connected components of more than one node (Tarjan's algorithm). */
    private static List<List<String>> cycles(Set<String> nodes, Map<String, Set<String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<List<String>> found = new ArrayList<>();
        int[] next = {0};
        for (String n : nodes) {
            if (!index.containsKey(n)) {
                connect(n, edges, index, low, stack, onStack, found, next);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Set<String>> edges, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<List<String>> found, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, edges, index, low, stack, onStack, found, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                component.sort(null);
                found.add(component);
            }
        }
    }
}
