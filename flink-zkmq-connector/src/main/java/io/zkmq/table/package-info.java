/**
 * The Table/SQL connector ({@code 'connector' = 'zkmq'}): the dynamic table factory found through
 * SPI, the table options, the dynamic table source and sink, and the row (de)serializers with their
 * metadata columns.
 *
 * <p>May import {@code source}, {@code sink}, {@code connector}, {@code queue} and {@code error};
 * Flink.
 */
package io.zkmq.table;
