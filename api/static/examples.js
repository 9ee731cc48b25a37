// The questions on the first screen: each was checked against the shipped corpus to give a cited
// answer, not a decline, and tests/ui/test_chat.py checks that every one still does.

export const EXAMPLES = [
  { kind: "Best practice", question: "What principles did the most successful collaboration projects share?" },
  { kind: "Barriers", question: "What barriers to collaboration has the research found?" },
  { kind: "Projects in a region", question: "Which projects are in the North West?" },
  { kind: "Comparison", question: "How did the Kent and Merseyside control rooms compare?" },
  { kind: "Co-responding", question: "Why did the national co-responding trial end?" },
  { kind: "Savings", question: "What savings have shared estates delivered?" },
];
