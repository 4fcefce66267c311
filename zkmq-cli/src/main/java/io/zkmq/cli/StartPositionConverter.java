package io.zkmq.cli;

import io.zkmq.client.StartPosition;
import io.zkmq.error.InvalidConfigException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code earliest}, {@code latest} or an offset, as {@link StartPosition#parse} reads them. */
final class StartPositionConverter implements ITypeConverter<StartPosition> {
    @Override
    public StartPosition convert(String text) {
        try {
            return StartPosition.parse(text);
        } catch (InvalidConfigException e) {
            throw new TypeConversionException("use earliest, latest or an offset >= 0");
        }
    }
}
