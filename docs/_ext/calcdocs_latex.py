"""LaTeX-only fixes that make the PDF of the book read like a book.

Loaded by ``docs/conf.py``. Nothing here touches the HTML build:

- each exercise also gets the ``docname:label`` target its solution's title links to;
- a docstring's numbered References stay under its API entry instead of joining the
  book's bibliography;
- each gallery topic becomes one section of the gallery chapter.
"""

from __future__ import annotations


def _latex_exercise_visitor(visit):
    """Also label an exercise as ``docname:label``, the target of its solution's title link."""

    def visit_with_label(self, node):
        self.body.append(self.hypertarget(node["label"], anchor=True))
        visit(self, node)

    return visit_with_label


def _docstring_citations_in_place(doctree):
    """LaTeX only: keep a docstring's numbered References under its object.

    Sphinx's LaTeX writer moves every citation into one bibliography at the end, where the
    ``[1]``, ``[2]`` of each API page would stand side by side with the book's sources.
    """
    from docutils import nodes
    from sphinx import addnodes

    def target(docname, node_id):
        return rf"\detokenize{{{docname}:{node_id}}}"

    local = {}
    for citation in list(doctree.findall(nodes.citation)):
        if not isinstance(citation.parent, addnodes.desc_content):
            continue  # sphinxcontrib-bibtex's entries stay in the bibliography
        label = citation[0].astext()
        node_id = citation["ids"][0]
        local[node_id] = label
        anchor = rf"\phantomsection\label{{{target(citation['docname'], node_id)}}}"
        entry = nodes.paragraph("", "", nodes.raw("", anchor, format="latex"))
        entry += nodes.Text(f"[{label}] ")
        body = [child.deepcopy() for child in citation[1:]]
        if body and isinstance(body[0], nodes.paragraph):  # the first paragraph follows [n]
            entry.extend(body.pop(0).children)
        citation.replace_self([entry, *body])
    for ref in list(doctree.findall(nodes.citation_reference)):
        # numpydoc's LaTeX-only line "[1], [2]" that made LaTeX keep the entries: not needed
        line = ref.parent
        if isinstance(line, nodes.paragraph) and all(
            c.get("refname") in local if isinstance(c, nodes.Element) else not c.strip(" ,")
            for c in line.children
        ):
            if line in line.parent.children:
                line.parent.remove(line)
            continue
        if ref.get("refname") in local:
            link = rf"\hyperref[{target(ref['docname'], ref['refname'])}]"
            ref.replace_self(nodes.raw("", f"{link}{{[{local[ref['refname']]}]}}", format="latex"))


def _gallery_topics_as_sections(doctree, gallery_dirs):
    """LaTeX only: each gallery topic becomes one section of the gallery chapter.

    The gallery's index lists its topics as headed sections of thumbnails (web-only) and ends
    with the toctree of the topics' own index pages, which repeat those headings; inlined, every
    example would land in the last topic. Keep the toctree, drop the thumbnail sections.
    """
    from docutils import nodes
    from sphinx import addnodes

    indexes = {f"{d}/index" for d in gallery_dirs}
    for start in doctree.findall(addnodes.start_of_file):
        if start["docname"] not in indexes:
            continue
        chapter = next(start.findall(nodes.section))
        for topic in [child for child in chapter.children if isinstance(child, nodes.section)]:
            tocs = [c for c in topic.children if "toctree-wrapper" in c.get("classes", [])]
            at = chapter.index(topic)
            chapter.remove(topic)
            chapter[at:at] = tocs


def setup(app):
    """Register the LaTeX-only fixes; the HTML build is unchanged."""
    from sphinx_exercise import nodes as exercise

    for node, visit, depart in [
        (exercise.exercise_node, exercise.visit_exercise_node, exercise.depart_exercise_node),
        (
            exercise.exercise_enumerable_node,
            exercise.visit_exercise_enumerable_node,
            exercise.depart_exercise_enumerable_node,
        ),
    ]:
        app.add_node(node, override=True, latex=(_latex_exercise_visitor(visit), depart))
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class LaTeXBookStructure(SphinxPostTransform):
        default_priority = 740  # before Sphinx's BibliographyTransform (750)
        formats = ("latex",)

        def run(self, **kwargs):
            _docstring_citations_in_place(self.document)
            gallery_dirs = self.config.sphinx_gallery_conf["gallery_dirs"]
            _gallery_topics_as_sections(self.document, gallery_dirs)

    app.add_post_transform(LaTeXBookStructure)

    return {"parallel_read_safe": True, "parallel_write_safe": True}
