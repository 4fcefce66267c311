package io.zkmq.sink.committer;

import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Version 1: queue (UTF), partition (int), transaction (UTF), attempt (UTF), records (int), bytes
 * (long).
 */
@Internal
public final class ZkmqCommittableSerializer implements SimpleVersionedSerializer<ZkmqCommittable> {
    public static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ZkmqCommittable c) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(c.queue());
        out.writeInt(c.partition());
        out.writeUTF(c.transaction());
        out.writeUTF(c.attempt());
        out.writeInt(c.records());
        out.writeLong(c.bytes());
        return out.getCopyOfBuffer();
    }

    @Override
    public ZkmqCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "Unknown ZKMQ committable version "
                            + version
                            + " (this connector reads version "
                            + VERSION
                            + "); was the checkpoint written by a newer connector?");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        ZkmqCommittable c =
                new ZkmqCommittable(
                        in.readUTF(),
                        in.readInt(),
                        in.readUTF(),
                        in.readUTF(),
                        in.readInt(),
                        in.readLong());
        if (in.available() != 0) {
            throw new IOException(
                    "ZKMQ committable has " + in.available() + " unexpected trailing bytes");
        }
        return c;
    }
}
