package io.zkmq.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the key routing so a change of hash, seed or consistent-hash algorithm cannot slip in: every
 * producer, in any language, must route these keys to these partitions. The same table is in
 * docs/hashing.md.
 */
class KeyRouterGoldenVectorsTest {

    private static final int[] PARTITION_COUNTS = {1, 2, 3, 4, 7, 16, 100, 1024};

    private final KeyRouter router = new KeyRouter();

    static Stream<Arguments> goldenVectors() {
        return Stream.of(
                // key, xxh3_64 of the key bytes, partition for P = 1, 2, 3, 4, 7, 16, 100, 1024
                Arguments.of(
                        "\"\"",
                        bytes(""),
                        0x2D06800538D394C2L,
                        new int[] {0, 1, 2, 2, 5, 14, 17, 881}),
                Arguments.of(
                        "\"a\"",
                        bytes("a"),
                        0xE6C632B61E964E1FL,
                        new int[] {0, 1, 2, 2, 2, 7, 64, 320}),
                Arguments.of(
                        "\"order-1\"",
                        bytes("order-1"),
                        0x5FC46503368E2876L,
                        new int[] {0, 1, 1, 3, 3, 3, 73, 713}),
                Arguments.of(
                        "UTF-8 \"ключ\"",
                        bytes("ключ"),
                        0x9A137C08C1E55EDEL,
                        new int[] {0, 1, 2, 2, 2, 12, 96, 531}),
                Arguments.of(
                        "1000 bytes of 0x01",
                        filled(1000, (byte) 0x01),
                        0x10DEE1EC8CE9FB6CL,
                        new int[] {0, 1, 1, 1, 1, 1, 75, 362}),
                Arguments.of(
                        "\"user-42\"",
                        bytes("user-42"),
                        0x50FE4B21CF7B09CDL,
                        new int[] {0, 0, 2, 3, 3, 13, 13, 575}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenVectors")
    void keyHashIsXxh3With64BitsAndSeedZero(
            String name, byte[] key, long expectedHash, int[] unused) {
        assertThat(KeyRouter.keyHash(key)).as("xxh3_64 of %s", name).isEqualTo(expectedHash);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenVectors")
    void routesPinnedKeysToPinnedPartitions(
            String name, byte[] key, long unused, int[] expectedPartitions) {
        int[] actual =
                Arrays.stream(PARTITION_COUNTS).map(p -> router.partitionFor(key, p)).toArray();
        assertThat(actual)
                .as("partitions of %s for P = %s", name, Arrays.toString(PARTITION_COUNTS))
                .containsExactly(expectedPartitions);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] filled(int length, byte value) {
        byte[] key = new byte[length];
        Arrays.fill(key, value);
        return key;
    }
}
