package io.zkmq.cli;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.StartingPosition;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code earliest}, {@code latest} or an offset, as {@link StartingPosition#parse} reads them. The
 * parser knows more (committed, timestamps) that {@code consume --from} does not offer.
 */
final class StartPositionConverter implements ITypeConverter<StartingPosition> {
    @Override
    public StartingPosition convert(String text) {
        StartingPosition start;
        try {
            start = StartingPosition.parse(text);
        } catch (InvalidConfigException e) {
            throw new TypeConversionException("use earliest, latest or an offset >= 0");
        }
        switch (start.kind()) {
            case EARLIEST:
            case LATEST:
            case OFFSET:
                return start;
            default:
                throw new TypeConversionException("use earliest, latest or an offset >= 0");
        }
    }
}
