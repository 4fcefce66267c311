package io.zkmq.examples;

import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine;

/** {@code none}, {@code at-least-once}, {@code exactly-once} as job parameters. */
final class Guarantees implements CommandLine.ITypeConverter<DeliveryGuarantee> {
    @Override
    public DeliveryGuarantee convert(String value) {
        try {
            return DeliveryGuarantee.valueOf(
                    value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not one of none, at-least-once, exactly-once");
        }
    }
}
