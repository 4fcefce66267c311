package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden JSON of the consumer-group znodes ({@code offset}, {@code owner}, {@code epoch}, {@code
 * assignment}) and of member znodes. The version 1 strings are exactly what clients wrote before
 * the version field.
 */
class GroupPayloadsJsonTest {
    private static final String OWNER_ID = "6c11e8ca-9314-4e51-a446-f7a928b15e71";
    private static final String PARTITION = "/queues/q/groups/g/partitions/0";

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Test
    void committedOffsetOfVersionOneDecodesWithAndWithoutTheVersionField() {
        String path = PARTITION + "/offset";
        CommittedPosition expected = new CommittedPosition(new Position(2, 5), 1, 7);
        assertThat(
                        CommittedPosition.fromJson(
                                utf8(
                                        "{\"nextOffset\":5,\"nextSeq\":2,\"epoch\":1,\"checkpointId\":7}"),
                                path))
                .isEqualTo(expected);
        assertThat(
                        CommittedPosition.fromJson(
                                utf8(
                                        "{\"version\":1,\"nextOffset\":5,\"nextSeq\":2,\"epoch\":1,\"checkpointId\":7}"),
                                path))
                .isEqualTo(expected);
        assertThat(text(expected.toJson()))
                .isEqualTo(
                        "{\"version\":1,\"nextOffset\":5,\"nextSeq\":2,\"epoch\":1,\"checkpointId\":7}");
        // checkpointId is optional in version 1.
        assertThat(
                        CommittedPosition.fromJson(
                                        utf8("{\"nextOffset\":5,\"nextSeq\":2,\"epoch\":1}"), path)
                                .checkpointId())
                .isEqualTo(-1);
    }

    @Test
    void ownerOfVersionOneDecodesWithAndWithoutTheVersionField() {
        String path = PARTITION + "/owner";
        OwnerInfo expected = new OwnerInfo(OWNER_ID, 1, 0x100005b27470000L);
        assertThat(
                        OwnerInfo.fromJson(
                                utf8(
                                        "{\"ownerId\":\""
                                                + OWNER_ID
                                                + "\",\"epoch\":1,\"session\":\"100005b27470000\"}"),
                                path))
                .isEqualTo(expected);
        assertThat(
                        OwnerInfo.fromJson(
                                utf8(
                                        "{\"version\":1,\"ownerId\":\""
                                                + OWNER_ID
                                                + "\",\"epoch\":1,\"session\":\"100005b27470000\"}"),
                                path))
                .isEqualTo(expected);
        assertThat(text(expected.toJson()))
                .isEqualTo(
                        "{\"version\":1,\"ownerId\":\""
                                + OWNER_ID
                                + "\",\"epoch\":1,\"session\":\"100005b27470000\"}");
    }

    @Test
    void epochOfVersionOneDecodesWithAndWithoutTheVersionField() {
        String path = PARTITION + "/epoch";
        EpochInfo expected = new EpochInfo(OWNER_ID, 1796217311215L);
        assertThat(
                        EpochInfo.fromJson(
                                utf8(
                                        "{\"ownerId\":\""
                                                + OWNER_ID
                                                + "\",\"takenAt\":1796217311215}"),
                                path))
                .isEqualTo(expected);
        assertThat(
                        EpochInfo.fromJson(
                                utf8(
                                        "{\"version\":1,\"ownerId\":\""
                                                + OWNER_ID
                                                + "\",\"takenAt\":1796217311215}"),
                                path))
                .isEqualTo(expected);
        assertThat(text(expected.toJson()))
                .isEqualTo(
                        "{\"version\":1,\"ownerId\":\""
                                + OWNER_ID
                                + "\",\"takenAt\":1796217311215}");
    }

    @Test
    void assignmentOfVersionOneDecodesWithAndWithoutTheVersionField() {
        String path = "/queues/q/groups/g/assignment";
        GroupAssignment expected = new GroupAssignment(3, Map.of(0, OWNER_ID, 11, "m2"));
        assertThat(
                        GroupAssignment.fromJson(
                                utf8(
                                        "{\"generation\":3,\"owners\":{\"0\":\""
                                                + OWNER_ID
                                                + "\",\"11\":\"m2\"}}"),
                                path))
                .isEqualTo(expected);
        assertThat(
                        GroupAssignment.fromJson(
                                utf8(
                                        "{\"version\":1,\"generation\":3,\"owners\":{\"0\":\""
                                                + OWNER_ID
                                                + "\",\"11\":\"m2\"}}"),
                                path))
                .isEqualTo(expected);
        assertThat(text(expected.toJson()))
                .isEqualTo(
                        "{\"version\":1,\"generation\":3,\"owners\":{\"0\":\""
                                + OWNER_ID
                                + "\",\"11\":\"m2\"}}");
        assertThat(GroupAssignment.fromJson(new byte[0], path)).isEqualTo(GroupAssignment.EMPTY);
    }

    @Test
    void memberOfVersionOneDecodesWithAndWithoutTheVersionField() {
        String path = "/queues/q/members/producer/" + OWNER_ID;
        MemberInfo expected = new MemberInfo(OWNER_ID, "vm", 1796217310923L);
        assertThat(
                        MemberInfo.fromJson(
                                utf8(
                                        "{\"id\":\""
                                                + OWNER_ID
                                                + "\",\"host\":\"vm\",\"since\":1796217310923}"),
                                path))
                .isEqualTo(expected);
        assertThat(
                        MemberInfo.fromJson(
                                utf8(
                                        "{\"version\":1,\"id\":\""
                                                + OWNER_ID
                                                + "\",\"host\":\"vm\",\"since\":1796217310923}"),
                                path))
                .isEqualTo(expected);
        assertThat(text(expected.toJson()))
                .isEqualTo(
                        "{\"version\":1,\"id\":\""
                                + OWNER_ID
                                + "\",\"host\":\"vm\",\"since\":1796217310923}");
    }

    @Test
    void aNewerVersionOfAGroupPayloadIsRefusedNamingTheZnodeAndKind() {
        assertThatThrownBy(
                        () ->
                                CommittedPosition.fromJson(
                                        utf8(
                                                "{\"version\":2,\"nextOffset\":5,\"nextSeq\":2,\"epoch\":1}"),
                                        PARTITION + "/offset"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(PARTITION + "/offset")
                .hasMessageContaining("committed offset payload of version 2");
        assertThatThrownBy(
                        () ->
                                OwnerInfo.fromJson(
                                        utf8(
                                                "{\"version\":2,\"ownerId\":\"o\",\"epoch\":1,\"session\":\"1\"}"),
                                        PARTITION + "/owner"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("partition owner payload of version 2");
        assertThatThrownBy(
                        () ->
                                EpochInfo.fromJson(
                                        utf8("{\"version\":2,\"ownerId\":\"o\",\"takenAt\":1}"),
                                        PARTITION + "/epoch"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("partition epoch payload of version 2");
        assertThatThrownBy(
                        () ->
                                GroupAssignment.fromJson(
                                        utf8("{\"version\":2,\"generation\":1}"),
                                        "/queues/q/groups/g/assignment"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("group assignment payload of version 2");
        assertThatThrownBy(
                        () ->
                                MemberInfo.fromJson(
                                        utf8(
                                                "{\"version\":2,\"id\":\"i\",\"host\":\"h\",\"since\":1}"),
                                        "/m"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("member payload of version 2");
    }
}
