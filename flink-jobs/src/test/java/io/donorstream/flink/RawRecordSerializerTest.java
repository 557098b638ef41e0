package io.donorstream.flink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

/** Flink's own serializer test suite on {@link RawRecordSerializer}, and the type lookup that selects it. */
class RawRecordSerializerTest extends SerializerTestBase<RawRecord> {
  @Override
  protected TypeSerializer<RawRecord> createSerializer() {
    return RawRecordSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<RawRecord> getTypeClass() {
    return RawRecord.class;
  }

  @Override
  protected RawRecord[] getTestData() {
    return new RawRecord[] {
      new RawRecord("cell-1".getBytes(), new byte[] {1, 2, 3}, "cells", 3, 12345L, 1_700_000_000_000L),
      new RawRecord(null, null, null, 0, 0, 0),
      new RawRecord(new byte[0], new byte[0], "", -1, Long.MAX_VALUE, Long.MIN_VALUE),
      new RawRecord("ключ".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[70_000], "cells-ü", 1, 1, 1)
    };
  }

  @Test
  void typeInformationOfTheClassIsOurs() {
    TypeInformation<RawRecord> t = TypeInformation.of(RawRecord.class);
    assertThat(t).isInstanceOf(RawRecordTypeInfo.class);
    assertThat(t.createSerializer(new SerializerConfigImpl())).isSameAs(RawRecordSerializer.INSTANCE);
  }
}
