package io.donorstream.loop;

import io.donorstream.promotion.Reason;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.RegisteredVersion;
import io.donorstream.registry.Stage;
import io.donorstream.schema.RetrainRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The alarms the monitor raised in a run (its retrain requests) and what answered each: a later
 * version trained for its reasons ({@link Reason#covers}) that was judged, promoted or retired with
 * the numbers. An alarm whose answer is still being trained or judged, or that none answers, is open.
 */
final class Alarms {
  /** @param answeredBy the version that answered, or null while open */
  record Alarm(String version, Set<Reason> asked, String reason, String answeredBy, boolean promoted) {
    boolean open() {
      return answeredBy == null;
    }
  }

  private Alarms() {}

  static List<Alarm> of(List<RetrainRequest> requests, ModelRegistry registry, String model) {
    List<RegisteredVersion> versions = registry.versions(model);
    List<Alarm> out = new ArrayList<>();
    for (RetrainRequest q : requests) {
      Set<Reason> asked = Reason.of(q.getKinds());
      if (asked.isEmpty()) asked = EnumSet.of(Reason.OTHER);
      RegisteredVersion answer = null;
      for (RegisteredVersion v : versions) {
        boolean judged = v.wasChampion() || v.stage() == Stage.RETIRED;
        if (judged && Episodes.newer(v.version(), q.getModelVersion()) && Reason.covers(v.reasons(), asked)) {
          // A promoted answer is the one that counts; a retired one answers only when nothing was promoted.
          if (answer == null || (!answer.wasChampion() && v.wasChampion())) answer = v;
        }
      }
      out.add(new Alarm(q.getModelVersion(), asked, q.getReason(), answer == null ? null : answer.version(), answer != null && answer.wasChampion()));
    }
    return out;
  }

  static boolean any(List<Alarm> alarms, Reason kind) {
    return alarms.stream().anyMatch(a -> a.asked().contains(kind));
  }

  static List<Alarm> open(List<Alarm> alarms) {
    return alarms.stream().filter(Alarm::open).toList();
  }
}
