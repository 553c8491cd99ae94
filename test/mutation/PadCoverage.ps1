# Statement coverage for the mutation script: which tests reach which statement, so each mutant runs only the tests
# that can see it (a mutant in a branch one scenario takes is tested by that scenario, not by thirty).
#
# A copy of each file gets a call to [PadMutationCoverage]::Hit(file, statement) in front of every statement of every
# block. The class is static, so the checks' runspaces (threads of the same process) report into it too. A statement
# no test reaches cannot change what any test sees, so its mutants survive without a run.

function Get-PadCoverageStatement {
	# The statements of every block of a file, in the order they start: Start/End offsets into the file's text.
	param([System.Management.Automation.Language.Ast] $Ast)
	$blocks = $Ast.FindAll({
			param($node)
			$node -is [System.Management.Automation.Language.NamedBlockAst] -or $node -is [System.Management.Automation.Language.StatementBlockAst]
		}, $true)
	$statements = foreach ($b in $blocks) {
		foreach ($s in $b.Statements) { [pscustomobject]@{ Start = $s.Extent.StartOffset; End = $s.Extent.EndOffset } }
	}
	@($statements | Sort-Object Start, @{ Expression = { - $_.End } })
}

function ConvertTo-PadInstrumentedText {
	# The file's text with a Hit call before each statement, on the same line (line numbers stay the same). In
	# Invoke-PadProbe, an Enter call first names the check that runs on this thread, so a hit says which check made it.
	param([string] $Text, [object[]] $Statements, [int] $FileIndex, [System.Management.Automation.Language.Ast] $Ast = $null)
	$inserts = New-Object System.Collections.Generic.List[object]
	for ($i = 0; $i -lt $Statements.Count; $i++) { $inserts.Add([pscustomobject]@{ At = $Statements[$i].Start; Order = 1; Text = ('[PadMutationCoverage]::Hit({0},{1}); ' -f $FileIndex, $i) }) }
	if ($null -ne $Ast) {
		$probe = $Ast.Find({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $n.Name -eq 'Invoke-PadProbe' }, $true)
		if ($null -ne $probe -and $probe.Body.EndBlock.Statements.Count -gt 0) {
			$inserts.Add([pscustomobject]@{ At = $probe.Body.EndBlock.Statements[0].Extent.StartOffset; Order = 0; Text = '[PadMutationCoverage]::Enter($CheckId); ' })
		}
	}
	$builder = New-Object System.Text.StringBuilder $Text
	# From the end, so earlier offsets stay valid; at one offset, Enter ends up before Hit.
	foreach ($insert in @($inserts | Sort-Object -Property @{ Expression = 'At'; Descending = $true }, @{ Expression = 'Order'; Descending = $true })) {
		[void]$builder.Insert($insert.At, $insert.Text)
	}
	$builder.ToString()
}

function Get-PadInnermostStatement {
	# The index of the smallest statement that holds the whole mutant, or -1 (a script's own param block, say).
	param([object[]] $Statements, [int] $Start, [int] $End)
	$best = -1
	$bestLength = [int]::MaxValue
	for ($i = 0; $i -lt $Statements.Count; $i++) {
		$s = $Statements[$i]
		if ($s.Start -le $Start -and $End -le $s.End -and ($s.End - $s.Start) -lt $bestLength) {
			$best = $i
			$bestLength = $s.End - $s.Start
		}
	}
	$best
}

function Register-PadCoverageType {
	if ('PadMutationCoverage' -as [type]) { return }
	# A hit is "file:statement:check": the check Invoke-PadProbe last named on this thread during this run (Take starts
	# a new run, so a thread's earlier check does not leak into the next), or nothing outside a probe.
	Add-Type -TypeDefinition @'
using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
public static class PadMutationCoverage {
	static readonly ConcurrentDictionary<string, byte> hits = new ConcurrentDictionary<string, byte>();
	static int run;
	[ThreadStatic] static string check;
	[ThreadStatic] static int checkRun;
	public static void Enter(string checkId) { check = checkId; checkRun = Volatile.Read(ref run); }
	public static void Hit(int file, int statement) {
		string current = (check != null && checkRun == Volatile.Read(ref run)) ? check : "";
		hits.TryAdd(file + ":" + statement + ":" + current, 0);
	}
	public static string[] Take() {
		Interlocked.Increment(ref run);
		var keys = hits.Keys.ToArray();
		hits.Clear();
		return keys;
	}
}
'@
}
