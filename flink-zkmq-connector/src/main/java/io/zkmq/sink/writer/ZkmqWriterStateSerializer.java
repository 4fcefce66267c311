package io.zkmq.sink.writer;

import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: a presence flag and the prefix (UTF). */
@Internal
public final class ZkmqWriterStateSerializer implements SimpleVersionedSerializer<ZkmqWriterState> {
    public static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ZkmqWriterState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(32);
        out.writeBoolean(state.transactionalIdPrefix() != null);
        if (state.transactionalIdPrefix() != null) {
            out.writeUTF(state.transactionalIdPrefix());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public ZkmqWriterState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "Unknown ZKMQ writer state version "
                            + version
                            + " (this connector reads version "
                            + VERSION
                            + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        ZkmqWriterState state = new ZkmqWriterState(in.readBoolean() ? in.readUTF() : null);
        if (in.available() != 0) {
            throw new IOException(
                    "ZKMQ writer state has " + in.available() + " unexpected trailing bytes");
        }
        return state;
    }
}
