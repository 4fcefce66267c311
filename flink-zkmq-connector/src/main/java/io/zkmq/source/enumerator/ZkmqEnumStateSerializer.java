package io.zkmq.source.enumerator;

import io.zkmq.queue.QueuePartition;
import io.zkmq.source.split.ZkmqSplit;
import io.zkmq.source.split.ZkmqSplitSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Versioned bytes of a {@link ZkmqEnumState}. Version 1: owners (int n, then n x queue UTF,
 * partition int, reader int), held (int n, n x queue, partition), unassigned splits (int n, n x
 * split as in {@link ZkmqSplitSerializer} version 1), finished (like held), initial discovery done
 * (boolean).
 */
@Internal
public final class ZkmqEnumStateSerializer implements SimpleVersionedSerializer<ZkmqEnumState> {
    public static final ZkmqEnumStateSerializer INSTANCE = new ZkmqEnumStateSerializer();
    public static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ZkmqEnumState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(state.lastOwner().size());
        for (var e : state.lastOwner().entrySet()) {
            writePartition(e.getKey(), out);
            out.writeInt(e.getValue());
        }
        writePartitions(state.held(), out);
        out.writeInt(state.unassigned().size());
        for (ZkmqSplit split : state.unassigned()) {
            ZkmqSplitSerializer.write(split, out);
        }
        writePartitions(state.finished(), out);
        out.writeBoolean(state.initialDiscoveryDone());
        return out.getCopyOfBuffer();
    }

    @Override
    public ZkmqEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "Unknown version "
                            + version
                            + " of the ZKMQ enumerator state (this connector reads"
                            + " version "
                            + VERSION
                            + "); was the checkpoint written by a newer connector?");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        SortedMap<QueuePartition, Integer> owners = new TreeMap<>();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            owners.put(readPartition(in), in.readInt());
        }
        SortedSet<QueuePartition> held = readPartitions(in);
        int u = in.readInt();
        List<ZkmqSplit> unassigned = new ArrayList<>(u);
        for (int i = 0; i < u; i++) {
            unassigned.add(ZkmqSplitSerializer.read(in));
        }
        SortedSet<QueuePartition> finished = readPartitions(in);
        boolean discovered = in.readBoolean();
        if (in.available() != 0) {
            throw new IOException(
                    in.available() + " unexpected trailing bytes in the ZKMQ enumerator state");
        }
        return new ZkmqEnumState(owners, held, unassigned, finished, discovered);
    }

    private static void writePartitions(SortedSet<QueuePartition> partitions, DataOutputView out)
            throws IOException {
        out.writeInt(partitions.size());
        for (QueuePartition p : partitions) {
            writePartition(p, out);
        }
    }

    private static SortedSet<QueuePartition> readPartitions(DataInputView in) throws IOException {
        SortedSet<QueuePartition> out = new TreeSet<>();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            out.add(readPartition(in));
        }
        return out;
    }

    private static void writePartition(QueuePartition p, DataOutputView out) throws IOException {
        out.writeUTF(p.queue());
        out.writeInt(p.partition());
    }

    private static QueuePartition readPartition(DataInputView in) throws IOException {
        return new QueuePartition(in.readUTF(), in.readInt());
    }
}
