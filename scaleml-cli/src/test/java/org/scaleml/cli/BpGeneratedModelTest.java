package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.bp.BpOptions;
import org.scaleml.bp.BpResult;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.Generators;
import org.scaleml.bp.engine.BpEngines;
import org.scaleml.bp.io.MarReader;
import org.scaleml.cli.ScaleMlTest.Run;

/** {@code bp --model gen:...}: generated models run like UAI files. */
class BpGeneratedModelTest {
    @TempDir
    Path dir;

    /**
     * Runs {@code bp} on {@code spec} with the deterministic residual engine and checks that it converged and wrote
     * the marginals of the same engine run in Java on {@code model}, the Generators call the specification names.
     */
    private void sameAsInJava(String spec, Supplier<FactorGraph> model, int variables) throws Exception {
        Path mar = dir.resolve("out.MAR");
        Run r = ScaleMlTest.run("bp", "--model", spec, "--algo", "residual", "--epsilon", "1e-8", "--out",
                mar.toString(), "--json");
        assertThat(r.exit()).as(spec + ": " + r.err()).isZero();
        JsonObject o = JsonParser.parseString(r.outLines().get(0)).getAsJsonObject();
        assertThat(o.get("converged").getAsBoolean()).isTrue();
        assertThat(o.get("variables").getAsInt()).isEqualTo(variables);
        FactorGraph g = model.get();
        BpResult want = BpEngines.create("residual").run(g, new BpOptions(1e-8, Math.max(1_000_000L, 1000L * g.edges()),
                0, 2, 42));
        assertThat(o.get("updates").getAsLong()).isEqualTo(want.updates());
        double[][] got = MarReader.read(mar, g);
        for (int v = 0; v < g.variables(); v++) {
            assertThat(got[v]).as(spec + " variable " + v).containsExactly(want.marginals()[v]);
        }
    }

    @Test
    void eachKindGivesTheModelOfItsGeneratorsCall() throws Exception {
        sameAsInJava("gen:ising:rows=10,cols=10", () -> Generators.isingGrid(10, 10, -1, 1, -1, 1, 1), 100);
        sameAsInJava("gen:ising:rows=4,cols=6,c=0.5,seed=9",
                () -> Generators.isingGrid(4, 6, -0.25, 0.25, -0.25, 0.25, 9), 24);
        sameAsInJava("gen:potts:rows=3,cols=3", () -> Generators.pottsGrid(3, 3, 3, -1, 1, -1, 1, 1), 9);
        sameAsInJava("gen:potts:rows=3,cols=4,q=4,c=1,seed=5",
                () -> Generators.pottsGrid(3, 4, 4, -0.5, 0.5, -0.5, 0.5, 5), 12);
        sameAsInJava("gen:tree:n=50", () -> Generators.randomTree(50, 3, 1, 1), 50);
        sameAsInJava("gen:TREE:n=30,card=5,strength=2,seed=3", () -> Generators.randomTree(30, 5, 2, 3), 30);
    }

    @Test
    void theDefaultEngineConvergesOnEachKind() {
        for (String spec : new String[] {"gen:ising:rows=10,cols=10", "gen:potts:rows=3,cols=3", "gen:tree:n=50"}) {
            Run r = ScaleMlTest.run("bp", "--model", spec, "--threads", "2", "--json");
            assertThat(r.exit()).as(spec + ": " + r.err()).isZero();
            assertThat(JsonParser.parseString(r.outLines().get(0)).getAsJsonObject().get("converged").getAsBoolean())
                    .as(spec).isTrue();
        }
        Run text = ScaleMlTest.run("bp", "--model", "gen:tree:n=10");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("on gen:tree:n=10 (10 variables, 19 factors)", "converged");
    }

    @Test
    void evidenceAppliesByVariableIndex() throws Exception {
        Path evid = dir.resolve("grid.evid");
        Files.writeString(evid, "2 0 1 7 0\n");
        Path mar = dir.resolve("out.MAR");
        Run r = ScaleMlTest.run("bp", "--model", "gen:ising:rows=3,cols=3", "--evid", evid.toString(), "--algo",
                "residual", "--out", mar.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        double[][] m = MarReader.read(mar, null);
        assertThat(m[0]).containsExactly(new double[] {0.0, 1.0}, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(m[7]).containsExactly(new double[] {1.0, 0.0}, org.assertj.core.data.Offset.offset(1e-12));
        Files.writeString(evid, "1 9 0\n");
        Run bad = ScaleMlTest.run("bp", "--model", "gen:ising:rows=3,cols=3", "--evid", evid.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("grid.evid").doesNotContain("Exception");
    }

    @Test
    void badSpecificationsGetOneLineNamingTheSpecAndKey() {
        String[][] cases = {
                {"gen:ising:rows=x", "--model gen:ising:rows=x: rows must be an integer, got 'x'"},
                {"gen:ising:rows=3", "missing cols=..."},
                {"gen:ising:rows=3,cols=3,size=2", "unknown key 'size' (known: c, cols, rows, seed)"},
                {"gen:ising:rows=3,cols=3,c=-1", "c must be a finite number >= 0"},
                {"gen:ising:rows=0,cols=3", "grid dimensions must be at least 1"},
                {"gen:potts:rows=2,cols=2,q=1", "q must be in [2, 1000], got 1"},
                {"gen:potts:rows=2,cols=2,c=big", "c must be a number, got 'big'"},
                {"gen:tree:n=0", "gen:tree:n=0: a tree needs at least 1 variable"},
                {"gen:tree:n=5,card=1", "card must be in [2, 1000], got 1"},
                {"gen:tree:n=5,strength=-1", "strength must be finite and non-negative"},
                {"gen:tree:n=5,,", "expected key=value, got ''"},
                {"gen:cube:n=3", "unknown generated model kind 'cube' (known: ising, potts, tree)"},
        };
        for (String[] c : cases) {
            Run r = ScaleMlTest.run("bp", "--model", c[0]);
            String err = r.err().strip();
            assertThat(r.exit()).as(c[0] + ": " + err).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(err.lines().count()).as(err).isEqualTo(1);
            assertThat(err).startsWith("scaleml bp: --model " + c[0] + ": ").contains(c[1])
                    .doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void helpListsTheGeneratedKinds() {
        Run r = ScaleMlTest.run("bp", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("gen:ising:rows=R,cols=C[,c=C][,seed=S]",
                "gen:potts:rows=R,cols=C[,q=Q][,c=C][,seed=S]", "gen:tree:n=N[,card=K][,strength=X][,seed=S]",
                "--evid applies by", "maxResidual");
    }
}
