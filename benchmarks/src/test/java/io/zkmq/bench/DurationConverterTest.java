package io.zkmq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsAmountsWithAUnit() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert(" 5 S ")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void readsIsoDurations() {
        assertThat(converter.convert("PT10S")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rejectsTextThatIsNoDurationWithAnExample() {
        assertThatThrownBy(() -> converter.convert("ten seconds"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'ten seconds'")
                .hasMessageContaining("10s");
    }
}
