package io.zkmq.source.split;

import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Versioned bytes of a {@link ZkmqSplit}. Version 1: queue (UTF), partition (int), has-position
 * (boolean) [seq (long), offset (long)], starting position, stop offset (long). A starting position
 * is kind (byte: 0 earliest, 1 latest, 2 offset, 3 timestamp, 4 committed) followed by the value
 * (long) for offset/timestamp, or the fallback position for committed.
 */
@Internal
public final class ZkmqSplitSerializer implements SimpleVersionedSerializer<ZkmqSplit> {
    public static final ZkmqSplitSerializer INSTANCE = new ZkmqSplitSerializer();
    public static final int VERSION = 1;

    private static final ThreadLocal<DataOutputSerializer> OUT =
            ThreadLocal.withInitial(() -> new DataOutputSerializer(64));

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ZkmqSplit split) throws IOException {
        DataOutputSerializer out = OUT.get();
        out.clear();
        write(split, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public ZkmqSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "Unknown version "
                            + version
                            + " of a ZKMQ split (this connector reads version "
                            + VERSION
                            + "); was the checkpoint written by a newer connector?");
        }
        return read(new DataInputDeserializer(serialized));
    }

    /** Writes a split in the current version (also used inside the enumerator state). */
    public static void write(ZkmqSplit split, DataOutputView out) throws IOException {
        out.writeUTF(split.queue());
        out.writeInt(split.partition());
        out.writeBoolean(split.position().isPresent());
        if (split.position().isPresent()) {
            out.writeLong(split.position().get().seq());
            out.writeLong(split.position().get().offset());
        }
        writeStart(split.start(), out);
        out.writeLong(split.stopOffset());
    }

    /** Reads a split written by {@link #write} in the current version. */
    public static ZkmqSplit read(DataInputView in) throws IOException {
        QueuePartition partition = new QueuePartition(in.readUTF(), in.readInt());
        Position position = in.readBoolean() ? new Position(in.readLong(), in.readLong()) : null;
        StartingPosition start = readStart(in);
        long stop = in.readLong();
        return ZkmqSplit.of(partition, position, start, stop);
    }

    private static void writeStart(StartingPosition start, DataOutputView out) throws IOException {
        switch (start.kind()) {
            case EARLIEST:
                out.writeByte(0);
                break;
            case LATEST:
                out.writeByte(1);
                break;
            case OFFSET:
                out.writeByte(2);
                out.writeLong(start.value());
                break;
            case TIMESTAMP:
                out.writeByte(3);
                out.writeLong(start.value());
                break;
            case COMMITTED:
                out.writeByte(4);
                writeStart(start.fallback(), out);
                break;
            default:
                throw new IOException("A split cannot hold starting position " + start);
        }
    }

    private static StartingPosition readStart(DataInputView in) throws IOException {
        byte kind = in.readByte();
        switch (kind) {
            case 0:
                return StartingPosition.earliest();
            case 1:
                return StartingPosition.latest();
            case 2:
                return StartingPosition.offset(in.readLong());
            case 3:
                return StartingPosition.timestamp(in.readLong());
            case 4:
                return StartingPosition.committed(readStart(in));
            default:
                throw new IOException(
                        "Unknown starting position kind " + kind + " in a ZKMQ split");
        }
    }
}
