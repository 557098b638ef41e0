package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.RawRecord;
import io.donorstream.publish.CellEvents;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.serde.AvroSerde;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder alone: every kind of bad record gets its reason; good ones come out decoded, with their raw record. */
class CellDecoderTest {
  private static final AvroSerde<CellEvent> CELLS = AvroSerde.of(CellEvent.class);
  private static final int WIDTH = ScoringFixtures.CELLS.width();
  private static final String ID = ScoringFixtures.CELLS.cellIds()[0];

  private static RawRecord raw(String key, byte[] value) {
    return new RawRecord(key == null ? null : key.getBytes(), value, "cells", 1, 42, 0);
  }

  private static byte[] event(int row, java.util.function.Consumer<CellEvent> change) {
    CellEvent e = CellEvents.of(ScoringFixtures.CELLS, row, Instant.EPOCH, true);
    e.setCellId(ID);
    change.accept(e);
    return CELLS.serialize(e);
  }

  @Test
  void decodesGoodCellsAndGivesEachKindOfBadRecordItsReason() {
    byte[] good = event(0, e -> {});
    byte[] corrupt = Arrays.copyOf(good, good.length + 3);
    byte[] nan = event(1, e -> e.getEmbedding().set(2, Float.NaN));
    byte[] narrow = event(2, e -> e.setEmbedding(e.getEmbedding().subList(0, WIDTH - 1)));
    List<RawRecord> in = List.of(raw(ID, good), raw(ID, new byte[0]), raw(ID, corrupt), raw(ID, Arrays.copyOf(good, good.length / 2)),
        raw(ID, nan), raw(ID, narrow), raw(ID, new byte[4096]), raw(null, good), raw("someone-else", good));
    CellDecoder decoder = new CellDecoder(WIDTH, 2048);
    List<CellDecoder.Result> out = in.stream().map(decoder::decode).toList();

    assertThat(out.get(0).cell().cellId).isEqualTo(ID);
    assertThat(out.get(0).cell().embedding).hasSize(WIDTH);
    assertThat(out.get(0).cell().raw).as("kept for a late dead letter").isSameAs(in.get(0));
    assertThat(out.subList(1, out.size())).extracting(CellDecoder.Result::reason).containsExactly(DeadLetters.EMPTY, DeadLetters.CORRUPT,
        DeadLetters.TRUNCATED, DeadLetters.NON_FINITE, DeadLetters.WRONG_WIDTH, DeadLetters.OVERSIZED, DeadLetters.KEY_MISMATCH,
        DeadLetters.KEY_MISMATCH);
    assertThat(out.get(7).detail()).contains("no key", ID);
    assertThat(out.get(8).detail()).contains("'someone-else' is not the cell id '" + ID + "'");
  }

  @Test
  void refusesCellsWithoutAUsableId() {
    String longId = "c".repeat(DeadLetters.MAX_CELL_ID_CHARS + 1);
    CellDecoder decoder = new CellDecoder(WIDTH, 1 << 20);
    CellDecoder.Result empty = decoder.decode(raw("", event(0, e -> e.setCellId(""))));
    CellDecoder.Result blank = decoder.decode(raw("  ", event(0, e -> e.setCellId("  "))));
    CellDecoder.Result oversized = decoder.decode(raw(longId, event(0, e -> e.setCellId(longId))));
    String longest = "c".repeat(DeadLetters.MAX_CELL_ID_CHARS);
    CellDecoder.Result atTheLimit = decoder.decode(raw(longest, event(0, e -> e.setCellId(longest))));

    assertThat(empty.reason()).isEqualTo(DeadLetters.MISSING_CELL_ID);
    assertThat(empty.detail()).contains("empty");
    assertThat(blank.reason()).isEqualTo(DeadLetters.MISSING_CELL_ID);
    assertThat(oversized.reason()).isEqualTo(DeadLetters.OVERSIZED_CELL_ID);
    assertThat(oversized.detail()).contains((DeadLetters.MAX_CELL_ID_CHARS + 1) + " characters");
    assertThat(atTheLimit.cell().cellId).isEqualTo(longest);
  }
}
