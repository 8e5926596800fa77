package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The API's abort kinds and the engine's are the same set: {@link Stats} translates by name. */
class AbortKindTest {
  @Test
  void theApiAndTheEngineNameTheSameKinds() {
    assertEquals(
        Arrays.stream(org.ame4j.internal.engine.AbortKind.values()).map(Enum::name).sorted().toList(),
        Arrays.stream(AbortKind.values()).map(Enum::name).sorted().toList());
  }
}
