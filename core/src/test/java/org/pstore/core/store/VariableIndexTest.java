package org.pstore.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pstore.core.Namespace;
import org.pstore.core.VariableNames;
import org.pstore.core.testing.Allocations;

class VariableIndexTest {
    private static final Namespace A = Namespace.of(UUID.randomUUID(), "a");
    private static final Namespace B = Namespace.of(UUID.randomUUID(), "b");

    @Test
    void findsWhatWasInsertedPerNamespace() {
        VariableIndex index = VariableIndex.empty();
        insert(index, A, "x", 100);
        insert(index, B, "x", 200);

        assertThat(index.location(find(index, A, "x"))).isEqualTo(100);
        assertThat(index.location(find(index, B, "x"))).isEqualTo(200);
        assertThat(find(index, A, "y")).isNegative();
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void removeLeavesOthersReachableAndCountsLiveBytes() {
        VariableIndex index = VariableIndex.empty();
        for (int i = 0; i < 300; i++) {
            index = index.roomyFor(8);
            insert(index, A, "v" + i, i);
        }
        for (int i = 0; i < 300; i += 2) {
            index.remove(find(index, A, "v" + i));
        }
        for (int i = 0; i < 300; i++) {
            assertThat(find(index, A, "v" + i) >= 0).as("v%d", i).isEqualTo(i % 2 == 1);
        }
        assertThat(index.size()).isEqualTo(150);
        long expected = 0;
        for (int i = 1; i < 300; i += 2) {
            expected += EntryFormat.cost(("v" + i).length(), 1);
        }
        assertThat(index.liveBytes()).isEqualTo(expected);
    }

    @Test
    void growsOnTheNormalPathAndKeepsEveryEntry() {
        VariableIndex index = VariableIndex.empty();
        for (int i = 0; i < 20_000; i++) {
            index = index.roomyFor(12);
            insert(index, A, "name-" + i, i);
        }
        Set<Long> seen = new HashSet<>();
        for (int s = index.nextOccupied(0); s >= 0; s = index.nextOccupied(s + 1)) {
            seen.add(index.location(s));
        }
        assertThat(seen).hasSize(20_000);
        assertThat(index.fitsAtCrash(VariableIndexTest.class.getName().length())).isTrue();
    }

    @Test
    void insertAndFindAllocateNothing() {
        VariableIndex index = VariableIndex.empty();
        StringBuilder name = new StringBuilder(64);
        byte[] ascii = new byte[VariableNames.MAX_LENGTH];
        for (int round = 0; round < 3; round++) { // warm up, then measure
            long bytes = Allocations.of(() -> {
                for (int i = 0; i < 100; i++) {
                    name.setLength(0);
                    name.append("dump-type").append(i);
                    int n = VariableNames.toAscii(name, ascii); // as the store takes a name
                    long h = VariableIndex.hash(A.msb(), A.lsb(), ascii, 0, n);
                    int slot = index.find(A.msb(), A.lsb(), name, h);
                    if (slot < 0) {
                        index.insertAt(-index.probe(A.msb(), A.lsb(), ascii, 0, n, h) - 1, A, ascii, 0, n, h, i, 1, 0);
                    } else {
                        index.remove(slot);
                    }
                }
            });
            if (round == 2) {
                assertThat(bytes).isZero();
            }
        }
    }

    private static void insert(VariableIndex index, Namespace ns, String name, long location) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long h = VariableIndex.hash(ns.msb(), ns.lsb(), b, 0, b.length);
        assertThat(h).as("hash of the chars and of the bytes").isEqualTo(VariableIndex.hash(ns.msb(), ns.lsb(), name));
        index.insertAt(-index.probe(ns.msb(), ns.lsb(), b, 0, b.length, h) - 1, ns, b, 0, b.length, h, location, 1, 0);
    }

    private static int find(VariableIndex index, Namespace ns, String name) {
        return index.find(ns.msb(), ns.lsb(), name, VariableIndex.hash(ns.msb(), ns.lsb(), name));
    }
}
