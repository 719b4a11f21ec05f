/**
 * Erlang C (M/M/N, infinite patience): the textbook prediction the simulator is checked against.
 * `trafficErlangs` A = arrival rate × average handle time; `agents` N servers.
 */
export interface ErlangCPrediction {
  /** Probability an arriving item has to wait. */
  probabilityOfWaiting: number;
  /** Share answered within the threshold: 1 − P(wait)·e^(−(N−A)·t/AHT). */
  serviceLevel: number;
  /** Average speed of answer: P(wait)·AHT/(N−A). */
  asaSeconds: number;
  /** A / N. */
  occupancy: number;
}

/**
 * P(wait) via the Erlang B recursion B(k) = A·B(k−1)/(k + A·B(k−1)) and C = N·B/(N − A(1 − B)),
 * which stays finite for hundreds of agents where the factorial form overflows.
 */
export function erlangCProbability(agents: number, trafficErlangs: number): number {
  if (agents <= 0) return 1;
  if (trafficErlangs <= 0) return 0;
  if (trafficErlangs >= agents) return 1;
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (trafficErlangs * b) / (k + trafficErlangs * b);
  return (agents * b) / (agents - trafficErlangs * (1 - b));
}

export function erlangC(input: {
  arrivalsPerHour: number;
  handleSeconds: number;
  agents: number;
  answerWithinSeconds: number;
}): ErlangCPrediction {
  const { arrivalsPerHour, handleSeconds, agents, answerWithinSeconds } = input;
  const a = (arrivalsPerHour / 3600) * handleSeconds;
  const pw = erlangCProbability(agents, a);
  if (a >= agents) return { probabilityOfWaiting: 1, serviceLevel: 0, asaSeconds: Infinity, occupancy: 1 };
  return {
    probabilityOfWaiting: pw,
    serviceLevel: 1 - pw * Math.exp((-(agents - a) * answerWithinSeconds) / handleSeconds),
    asaSeconds: (pw * handleSeconds) / (agents - a),
    occupancy: a / agents,
  };
}
