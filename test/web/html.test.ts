import { expect, test } from 'vitest';
import { html, labelCells } from '../../src/web/html';

/** On a phone a table's rows are cards: each cell carries its column's name. */
test('each data cell is labelled with its column’s header; a table without one, and a labelled cell, are left alone', () => {
  const page = html`<table><tr><th>状态</th><th>事项<small>（期间）</small></th><th>办理</th></tr>
<tr><td><span class="light red"></span>已逾期</td><td>报送整顿方案</td><td><form><input name="a"></form></td></tr>
<tr><td data-label="自定">x</td><td>y</td></tr></table>
<table><tr><td>无表头</td></tr></table>`.value;
  expect(labelCells(page)).toBe(`<table><tr><th>状态</th><th>事项<small>（期间）</small></th><th>办理</th></tr>
<tr><td data-label="状态"><span class="light red"></span>已逾期</td><td data-label="事项（期间）">报送整顿方案</td><td data-label="办理"><form><input name="a"></form></td></tr>
<tr><td data-label="自定">x</td><td data-label="事项（期间）">y</td></tr></table>
<table><tr><td>无表头</td></tr></table>`);
});
