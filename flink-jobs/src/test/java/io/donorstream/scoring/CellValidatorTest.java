package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.kafka.CellEvents;
import io.donorstream.kafka.KeyedBytes;
import io.donorstream.kafka.RawRecord;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.DeadLetter;
import io.donorstream.schema.serde.AvroSerde;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The validator alone: every kind of bad record becomes a dead letter with its reason, whole; good ones pass decoded. */
class CellValidatorTest {
  private static final AvroSerde<CellEvent> CELLS = AvroSerde.of(CellEvent.class);
  private static final int WIDTH = ScoringFixtures.CELLS.width();

  private static RawRecord raw(String key, byte[] value) {
    return new RawRecord(key.getBytes(), value, "cells", 1, 42, 0);
  }

  private static byte[] event(int row, java.util.function.Consumer<CellEvent> change) {
    CellEvent e = CellEvents.of(ScoringFixtures.CELLS, row, Instant.EPOCH, true);
    change.accept(e);
    return CELLS.serialize(e);
  }

  @Test
  void passesGoodCellsAndDeadLettersEachKindOfBadRecordWithItsReason() throws Exception {
    byte[] good = event(0, e -> {});
    byte[] corrupt = Arrays.copyOf(good, good.length + 3);
    byte[] nan = event(1, e -> e.getEmbedding().set(2, Float.NaN));
    byte[] narrow = event(2, e -> e.setEmbedding(e.getEmbedding().subList(0, WIDTH - 1)));
    List<RawRecord> in = List.of(raw("good", good), raw("empty", new byte[0]), raw("corrupt", corrupt),
        raw("truncated", Arrays.copyOf(good, good.length / 2)), raw("nan", nan), raw("narrow", narrow), raw("huge", new byte[4096]));
    try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new CellValidator(WIDTH, 2048)))) {
      h.open();
      for (RawRecord r : in) h.processElement(r, 0);
      assertThat(h.extractOutputValues()).extracting(c -> c.cellId).containsExactly(ScoringFixtures.CELLS.cellIds()[0]);
      AvroSerde<DeadLetter> dead = AvroSerde.of(DeadLetter.class);
      List<DeadLetter> letters = h.getSideOutput(DeadLetters.TAG).stream().map(r -> dead.deserialize(((KeyedBytes) r.getValue()).value)).toList();
      assertThat(letters).extracting(d -> d.getReason().toString()).containsExactly(DeadLetters.EMPTY, DeadLetters.CORRUPT,
          DeadLetters.TRUNCATED, DeadLetters.NON_FINITE, DeadLetters.WRONG_WIDTH, DeadLetters.OVERSIZED);
      DeadLetter truncated = letters.get(2);
      assertThat(truncated.getRaw().remaining()).as("the raw record is kept whole").isEqualTo(good.length / 2);
      assertThat(truncated.getSourceTopic().toString()).isEqualTo("cells");
      assertThat(truncated.getSourceOffset()).isEqualTo(42);
    }
  }
}
