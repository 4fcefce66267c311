package io.zkmq.sink;

import io.zkmq.queue.Header;

import java.io.Serializable;
import java.util.List;

/** Headers of the record an element becomes. */
@FunctionalInterface
public interface HeaderProvider<T> extends Serializable {
    List<Header> headers(T element);
}
