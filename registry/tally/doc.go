// Package tally does pure vote counting and seat allocation: no database,
// no I/O. Everything here is a function of its arguments, in exact integer
// arithmetic, and gives the same output for the same input. [Decide]
// decides a motion from its counts, [Apportion] apportions seats among
// constituencies, and [Count] counts a round of an election.
//
// For elections, [Count] counts one [Round] of paper or electronic
// [Ballot]s by the articles' rules: it decides each ballot's validity with
// its reason, counts for, against and abstain per [Candidate], elects
// those above the round's threshold in order of "for" votes up to the
// seats, and says what goes to a further round (a tie at the cut-off,
// unfilled seats) in [Result.Next]. [Result.Report] writes the count as
// text with its arithmetic. The caller stores the round, its ballots and
// its result; a re-count calls [Count] again on the stored ballots.
//
// Ballots are made verifiable by a hash chain over their canonical
// encoding ([AppendCanonical], [DecodeBallot], [Link], [Verify]): a ballot
// changed after its round closed is named by the check.
package tally
