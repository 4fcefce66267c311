package io.zkmq.client;

import io.zkmq.queue.ZnodeOp;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;

/** Turns the storage model's {@link ZnodeOp}s into Curator operations for one {@code multi()}. */
final class CuratorOps {
    private CuratorOps() {}

    static List<CuratorOp> of(CuratorFramework curator, List<ZnodeOp> ops) throws Exception {
        TransactionOp tx = curator.transactionOp();
        List<CuratorOp> out = new ArrayList<>(ops.size());
        for (ZnodeOp op : ops) {
            out.add(of(tx, op));
        }
        return out;
    }

    private static CuratorOp of(TransactionOp tx, ZnodeOp op) throws Exception {
        if (op instanceof ZnodeOp.Create c) {
            return tx.create().forPath(c.path(), c.data());
        }
        if (op instanceof ZnodeOp.SetData s) {
            return tx.setData().withVersion(s.version()).forPath(s.path(), s.data());
        }
        if (op instanceof ZnodeOp.Delete d) {
            return tx.delete().withVersion(d.version()).forPath(d.path());
        }
        if (op instanceof ZnodeOp.Check c) {
            return tx.check().withVersion(c.version()).forPath(c.path());
        }
        throw new IllegalArgumentException(
                "Unknown znode operation " + op); // sealed: only a new kind gets here
    }
}
