package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
    private final DurationConverter durations = new DurationConverter();
    private final ByteSizeConverter sizes = new ByteSizeConverter();

    @Test
    void durationsTakeAUnitOrIso() {
        assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(durations.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(durations.convert("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(durations.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(durations.convert("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> durations.convert("15"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'15'");
        assertThatThrownBy(() -> durations.convert("soon"))
                .isInstanceOf(TypeConversionException.class);
    }

    @Test
    void durationsFormatInTheLargestExactUnit() {
        assertThat(DurationConverter.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(DurationConverter.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationConverter.format(Duration.ofSeconds(45))).isEqualTo("45s");
    }

    @Test
    void agesPrintTheirTwoLargestUnits() {
        assertThat(DurationConverter.formatAge(Duration.ofMillis(900))).isEqualTo("0s");
        assertThat(DurationConverter.formatAge(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(DurationConverter.formatAge(Duration.ofSeconds(312))).isEqualTo("5m12s");
        assertThat(DurationConverter.formatAge(Duration.ofMinutes(187))).isEqualTo("3h7m");
        assertThat(DurationConverter.formatAge(Duration.ofHours(52).plusMinutes(59)))
                .isEqualTo("2d4h");
        assertThat(DurationConverter.formatAge(Duration.ofSeconds(-3))).isEqualTo("0s");
    }

    @Test
    void byteSizesTakeBinaryUnits() {
        assertThat(sizes.convert("1048576")).isEqualTo(1L << 20);
        assertThat(sizes.convert("256KiB")).isEqualTo(256L << 10);
        assertThat(sizes.convert("128MiB")).isEqualTo(128L << 20);
        assertThat(sizes.convert("2g")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> sizes.convert("lots")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> sizes.convert("99999999999999GiB"))
                .isInstanceOf(TypeConversionException.class);
        assertThat(ByteSizeConverter.format(128L << 20)).isEqualTo("134217728 (128 MiB)");
        assertThat(ByteSizeConverter.format(1000)).isEqualTo("1000");
    }
}
