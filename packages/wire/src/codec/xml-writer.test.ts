import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeXml } from './xml-writer.js';

describe('encodeXml', () => {
  it('writes nested elements with attributes, text and empty elements, without a declaration', () => {
    const xml = encodeXml({
      name: 'ListMetricsResponse',
      attributes: { xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/' },
      children: [{ name: 'ListMetricsResult', children: [{ name: 'Metrics' }] }, { name: 'ResponseMetadata', children: [{ name: 'RequestId', text: 'r-1' }] }],
    }).toString('utf8');
    assert.equal(
      xml,
      '<ListMetricsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ListMetricsResult><Metrics/></ListMetricsResult>' +
        '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></ListMetricsResponse>',
    );
  });

  it('escapes markup in text and attributes and leaves out characters XML 1.0 cannot carry', () => {
    const xml = encodeXml({ name: 'Message', attributes: { a: '"<&>' }, text: "it's <b> & \u0001ok\u00e9" }).toString('utf8');
    assert.equal(xml, '<Message a="&quot;&lt;&amp;&gt;">it&apos;s &lt;b&gt; &amp; oké</Message>');
  });

  it('refuses element names that are not XML names', () => {
    assert.throws(() => encodeXml({ name: 'a b' }), /invalid XML element name/);
    assert.throws(() => encodeXml({ name: 'ok', children: [{ name: '<x>' }] }), /invalid XML element name/);
  });
});
