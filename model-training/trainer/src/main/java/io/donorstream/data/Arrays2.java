package io.donorstream.data;

/** Widening conversions of the primitive arrays jHDF returns, whatever width the file used. */
final class Arrays2 {
  private Arrays2() {}

  static float[] toFloats(Object data) {
    if (data instanceof float[] f) {
      return f;
    }
    if (data instanceof double[] d) {
      float[] out = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        out[i] = (float) d[i];
      }
      return out;
    }
    long[] l = toLongs(data);
    float[] out = new float[l.length];
    for (int i = 0; i < l.length; i++) {
      out[i] = l[i];
    }
    return out;
  }

  static long[] toLongs(Object data) {
    if (data instanceof long[] l) {
      return l;
    }
    int n = java.lang.reflect.Array.getLength(data);
    long[] out = new long[n];
    if (data instanceof int[] a) {
      for (int i = 0; i < n; i++) out[i] = a[i];
    } else if (data instanceof short[] a) {
      for (int i = 0; i < n; i++) out[i] = a[i];
    } else if (data instanceof byte[] a) {
      for (int i = 0; i < n; i++) out[i] = a[i];
    } else {
      throw new IllegalArgumentException("not an integer array: " + data.getClass().getSimpleName());
    }
    return out;
  }

  static int[] toInts(Object data) {
    if (data instanceof int[] a) {
      return a;
    }
    long[] l = toLongs(data);
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) {
      out[i] = Math.toIntExact(l[i]);
    }
    return out;
  }
}
