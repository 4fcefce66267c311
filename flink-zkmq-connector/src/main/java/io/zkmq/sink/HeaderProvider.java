package io.zkmq.sink;

import io.zkmq.queue.Header;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/** Headers of the record an element becomes. */
@PublicEvolving
@FunctionalInterface
public interface HeaderProvider<T> extends Serializable {
    List<Header> headers(T element);
}
