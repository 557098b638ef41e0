package io.donorstream.flink;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's type information for {@link RawRecord}: always {@link RawRecordSerializer}. */
public final class RawRecordTypeInfo extends TypeInformation<RawRecord> {
  public static final RawRecordTypeInfo INSTANCE = new RawRecordTypeInfo();
  private static final long serialVersionUID = 1L;

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<RawRecord> getTypeClass() {
    return RawRecord.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<RawRecord> createSerializer(SerializerConfig config) {
    return RawRecordSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "RawRecord";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecordTypeInfo;
  }

  @Override
  public int hashCode() {
    return RawRecordTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof RawRecordTypeInfo;
  }

  /** Lets {@code TypeInformation.of(RawRecord.class)} find this type information. */
  public static final class Factory extends TypeInfoFactory<RawRecord> {
    @Override
    public TypeInformation<RawRecord> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
      return INSTANCE;
    }
  }
}
