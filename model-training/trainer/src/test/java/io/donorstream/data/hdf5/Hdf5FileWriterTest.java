package io.donorstream.data.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.data.PythonAnndata;
import io.donorstream.data.hdf5.Hdf5Tree.Attribute;
import io.donorstream.data.hdf5.Hdf5Tree.Dataset;
import io.donorstream.data.hdf5.Hdf5Tree.Group;
import io.jhdf.HdfFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files from the streaming writer read back in jHDF and, when it is installed, in h5py/anndata. */
class Hdf5FileWriterTest {
  @TempDir Path dir;

  @Test
  void everyTypeReadsBackInJhdfIncludingAGroupOfManyChildrenAndValuesPlacedFirst() throws Exception {
    Path file = dir.resolve("t.h5");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        ValueSpill placed = ValueSpill.inPlace(file, ch, Hdf5FileWriter.FIRST_FREE);
        ValueSpill floats = new ValueSpill(dir, "f");
        ValueSpill shorts = new ValueSpill(dir, "s");
        StringSpill strings = new StringSpill(dir, "ids")) {
      for (int i = 0; i < 5; i++) {
        placed.putFloats(new float[] {i, i + 0.5f}, 0, 2);
        floats.putFloat(i / 4f);
        shorts.putShort(-i);
        strings.put(i == 2 ? "naïve,\"cell\"" : "c" + i);
      }
      Group root = Group.named("/").attribute(Attribute.string("kind", "test"));
      Group many = root.add(Group.named("many")).attribute(Attribute.strings("order", List.of("x", "yy")));
      for (int k = 0; k < 12; k++) many.add(Dataset.string("s" + k, "value " + k));
      root.add(new Dataset("placed", Hdf5Types.float32(), new long[] {5, 2}, placed.source()));
      root.add(new Dataset("floats", Hdf5Types.float32(), new long[] {5}, floats.source()));
      root.add(new Dataset("shorts", Hdf5Types.signed(2), new long[] {5}, shorts.source()));
      root.add(new Dataset("ids", strings.type(), new long[] {5}, strings.source()));
      Hdf5FileWriter.write(ch, Hdf5FileWriter.FIRST_FREE + placed.bytes(), root);
    }
    try (HdfFile h = new HdfFile(file)) {
      assertThat(h.getAttribute("kind").getData()).isEqualTo("test");
      assertThat(h.getChild("many").getAttribute("order").getData()).isEqualTo(new String[] {"x", "yy"});
      List<String> names = new ArrayList<>(((io.jhdf.api.Group) h.getChild("many")).getChildren().keySet());
      assertThat(names).hasSize(12);
      assertThat(h.getDatasetByPath("many/s11").getData()).isEqualTo("value 11");
      assertThat((float[][]) h.getDatasetByPath("placed").getData()).isEqualTo(new float[][] {{0, 0.5f}, {1, 1.5f}, {2, 2.5f}, {3, 3.5f}, {4, 4.5f}});
      assertThat((float[]) h.getDatasetByPath("floats").getData()).containsExactly(0f, 0.25f, 0.5f, 0.75f, 1f);
      assertThat((short[]) h.getDatasetByPath("shorts").getData()).containsExactly((short) 0, (short) -1, (short) -2, (short) -3, (short) -4);
      assertThat((String[]) h.getDatasetByPath("ids").getData()).containsExactly("c0", "c1", "naïve,\"cell\"", "c3", "c4");
    }
  }

  @Test
  void booleansAndTheCategoricalOrderedFlagAreNumpyBoolsInH5py() throws Exception {
    PythonAnndata.assumeAvailable();
    Path file = dir.resolve("b.h5");
    try (ValueSpill flags = new ValueSpill(dir, "b")) {
      for (int i = 0; i < 4; i++) flags.putByte(i % 2);
      Group root = Group.named("/");
      root.add(new Dataset("flags", Hdf5Types.bool(), new long[] {4}, flags.source())).attribute(Attribute.bool("ordered", false));
      Hdf5FileWriter.write(file, root);
    }
    PythonAnndata.Result r = PythonAnndata.run("import h5py\nf = h5py.File('" + file + "', 'r')\n"
        + "print(f['flags'].dtype, list(f['flags'][()]), type(f['flags'].attrs['ordered']).__name__, f['flags'].attrs['ordered'])");
    assertThat(r.exit()).as(r.text()).isZero();
    assertThat(r.text().trim()).isEqualTo("bool [False, True, False, True] bool_ False");
  }
}
