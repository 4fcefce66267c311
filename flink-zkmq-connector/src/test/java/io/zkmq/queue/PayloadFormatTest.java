package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The version rule every JSON znode payload follows. */
class PayloadFormatTest {
    private static final String PATH = "/queues/q/partitions/0/head";
    private static final PayloadFormat V1 = new PayloadFormat("partition head", 1);
    private static final PayloadFormat V3 = new PayloadFormat("partition head", 3);
    private static final PayloadFormat V1_WITH_LEGACY = new PayloadFormat("queue config", 1, true);

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPayloadWithoutAVersionIsVersionOne() {
        assertThat(V1.check(V1.read(utf8("{\"nextSeq\":1}"), PATH), PATH)).isEqualTo(1);
        assertThat(V3.check(V3.read(utf8("{\"nextSeq\":1}"), PATH), PATH)).isEqualTo(1);
    }

    @Test
    void everyVersionUpToTheNewestIsRead() {
        assertThat(V3.check(Json.read(utf8("{\"version\":1}"), PATH), PATH)).isEqualTo(1);
        assertThat(V3.check(Json.read(utf8("{\"version\":2}"), PATH), PATH)).isEqualTo(2);
        assertThat(V3.check(Json.read(utf8("{\"version\":3}"), PATH), PATH)).isEqualTo(3);
    }

    @Test
    void aNewerVersionIsRefusedNamingTheZnodeTheKindTheVersionAndWhatThisClientReads() {
        assertThatThrownBy(() -> V1.read(utf8("{\"version\":2,\"nextSeq\":1}"), PATH))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "Znode "
                                + PATH
                                + " holds a partition head payload of version 2, but this client reads"
                                + " version 1 only: it was written by a newer ZKMQ client; upgrade this client");
        assertThatThrownBy(() -> V3.read(utf8("{\"version\":4}"), PATH))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("version 4, but this client reads versions 1 to 3");
    }

    @Test
    void aVersionBelowOneOrNotAnIntegerIsRefused() {
        assertThatThrownBy(() -> V1.read(utf8("{\"version\":0}"), PATH))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(PATH)
                .hasMessageContaining("version 0")
                .message()
                .doesNotContain("newer");
        assertThatThrownBy(() -> V1.read(utf8("{\"version\":\"1\"}"), PATH))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(PATH)
                .hasMessageContaining("'version'")
                .hasMessageContaining("not an integer");
        assertThatThrownBy(() -> V1.read(utf8("{\"version\":1.5}"), PATH))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not an integer");
    }

    @Test
    void theLegacyFormatFieldCountsOnlyForPayloadsThatUsedIt() {
        assertThat(V1_WITH_LEGACY.check(Json.read(utf8("{\"format\":1}"), PATH), PATH))
                .isEqualTo(1);
        assertThatThrownBy(() -> V1_WITH_LEGACY.read(utf8("{\"format\":2}"), "/queues/q"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Znode /queues/q holds a queue config payload of version 2");
        // The version field wins over the legacy one when both are there.
        assertThat(
                        V1_WITH_LEGACY.check(
                                Json.read(utf8("{\"version\":1,\"format\":1}"), PATH), PATH))
                .isEqualTo(1);
        assertThatThrownBy(() -> V1_WITH_LEGACY.read(utf8("{\"version\":2,\"format\":1}"), PATH))
                .hasMessageContaining("version 2");
        // Elsewhere "format" is just an unknown field, which readers ignore.
        assertThat(V1.check(Json.read(utf8("{\"format\":7}"), PATH), PATH)).isEqualTo(1);
    }

    @Test
    void newPayloadsStartWithTheVersionTheyAreWrittenIn() {
        assertThat(new String(Json.write(V3.object().put("nextSeq", 1)), StandardCharsets.UTF_8))
                .isEqualTo("{\"version\":3,\"nextSeq\":1}");
    }
}
