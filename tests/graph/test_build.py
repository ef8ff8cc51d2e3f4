"""Building the graph from a resolution: one evidence string per sentence."""

from __future__ import annotations

from paperkg.extract.concepts.resolve import resolve
from paperkg.extract.records import Mention, Paper
from paperkg.graph.build import build_graph


def test_build_edges_of_one_sentence_share_its_string():
    text = "We fine-tune BERT and RoBERTa on SQuAD."
    paper = Paper("p1", "T", text)

    def mention(surface: str) -> Mention:
        start = text.index(surface)
        sentence = "".join(list(text))  # an equal sentence, a string of its own
        return Mention("p1", "abstract", start, start + len(surface), surface, "METHOD", 1.0,
                       sentence, "", "")

    G = build_graph([paper], resolve([paper], [mention("BERT"), mention("RoBERTa")], spread=False))
    evidence = [d["evidence"] for _, _, d in G.edges(data=True)]
    assert evidence == [text, text]
    assert evidence[0] is evidence[1]
